"""Getting back into the client portal and updating the card on file."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet

from actions.base import FrontDeskAction, Turn, hand_off
from assistant.store.models import HandoffReason, LinkPurpose
from assistant.wording.catalog import text


class PortalHelp(FrontDeskAction):
    action_name = "action_portal_help"

    def act(self, turn: Turn) -> list[EventType]:
        if turn.slot("portal_help_given"):
            # They already tried the steps and a fresh link: a person should take it from here.
            return hand_off(turn, HandoffReason.PORTAL_HELP, "handoff.portal")
        link = turn.services.issue_link(
            LinkPurpose.PORTAL_SIGN_IN,
            public_base_url=turn.settings.public_base_url,
            ttl_minutes=turn.settings.link_ttl_minutes,
        )
        turn.say(text("portal.help", minutes=turn.settings.link_ttl_minutes, link=link))
        return [SlotSet("portal_help_given", True), SlotSet("last_link", "portal")]  # "still stuck" -> a person


class BillingLink(FrontDeskAction):
    action_name = "action_billing_link"

    def act(self, turn: Turn) -> list[EventType]:
        assert turn.client is not None  # requires_verification: only a verified client gets here
        link = turn.services.issue_link(
            LinkPurpose.BILLING_UPDATE,
            public_base_url=turn.settings.public_base_url,
            ttl_minutes=turn.settings.link_ttl_minutes,
        )
        profile = turn.client.billing_profile
        on_file = text("billing.card_on_file", last4=profile.card_last4) if profile else ""
        turn.say(text("billing.link", on_file=on_file, minutes=turn.settings.link_ttl_minutes, link=link))
        return [SlotSet("last_link", "billing")]  # "didn't work" -> this link again, or a person
