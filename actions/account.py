"""Getting back into the client portal and updating the card on file."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet

from actions.base import FrontDeskAction, Turn, hand_off
from assistant.services.links import issue_link
from assistant.store.models import HandoffReason, LinkPurpose


class PortalHelp(FrontDeskAction):
    action_name = "action_portal_help"

    def act(self, turn: Turn) -> list[EventType]:
        assert turn.client is not None
        if turn.slot("portal_help_given"):
            # They already tried the steps and a fresh link: a person should take it from here.
            return hand_off(turn, HandoffReason.PORTAL_HELP,
                            "Sorry the portal is still giving you trouble. I've asked our front desk "
                            "team to help; a person will reply right here.")
        link = issue_link(turn.session, client=turn.client, practice=turn.practice,
                          purpose=LinkPurpose.PORTAL_SIGN_IN,
                          public_base_url=turn.settings.public_base_url,
                          ttl_minutes=turn.settings.link_ttl_minutes)
        turn.say("Sorry you're locked out, that's frustrating. A few things that usually help:\n"
                 "1. Use the email address we have on file for you.\n"
                 "2. Try a private/incognito window, or clear your browser's cache.\n"
                 "3. Use \"Forgot password\" on the sign-in page; the email can take a few minutes "
                 "(check spam).\n"
                 f"Or sign in directly with this one-time link (valid for "
                 f"{turn.settings.link_ttl_minutes} minutes): {link}\n"
                 "If you're still stuck, just tell me and I'll get a person to help.")
        return [SlotSet("portal_help_given", True)]


class BillingLink(FrontDeskAction):
    action_name = "action_billing_link"

    def act(self, turn: Turn) -> list[EventType]:
        assert turn.client is not None
        link = issue_link(turn.session, client=turn.client, practice=turn.practice,
                          purpose=LinkPurpose.BILLING_UPDATE,
                          public_base_url=turn.settings.public_base_url,
                          ttl_minutes=turn.settings.link_ttl_minutes)
        profile = turn.client.billing_profile
        on_file = (f"The card on file ends in {profile.card_last4}. " if profile else "")
        turn.say(f"{on_file}You can update your card on this secure page (valid for "
                 f"{turn.settings.link_ttl_minutes} minutes, one use): {link}\n"
                 "Please never send card numbers in chat or by text.")
        return []
