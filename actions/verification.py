"""Identity before anything private: full name + date of birth, three tries, then a person.

Failures also count per client across chats (identity_guard): after too many for one
client, even the right details are refused for a while, with the same reply as wrong
ones.  That reply points to the ways that still work: a person, or a texted code.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.base import FrontDeskAction, Turn, hand_off
from actions.follow_ups import resume_after_check
from assistant.scheduling.parsing import parse_date_of_birth, split_identity
from assistant.services.identity import MAX_VERIFICATION_FAILURES
from assistant.store.models import HandoffReason
from assistant.wording.catalog import text

# The same for wrong details and for a client whose name+DOB check is locked.
DETAILS_DONT_MATCH = text("identity.details_dont_match")


class AskFullName(Action):
    """The form's first question (an action, not a response, so it can't go stale unused)."""

    def name(self) -> str:
        return "action_ask_full_name"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=text("identity.ask_name"))
        return []


class AskDateOfBirth(Action):
    def name(self) -> str:
        return "action_ask_date_of_birth"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(text=text("identity.ask_date_of_birth"))
        return []


class ValidateVerifyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_verify_form"

    def validate_full_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name, date_of_birth = split_identity(str(value or ""))
        if not name or len(name.split()) < 2:
            dispatcher.utter_message(text=text("identity.need_full_name"))
            return {"full_name": None}
        slots: dict[str, Any] = {"full_name": name}
        if date_of_birth is not None:  # "Jordan Lee 4/12/1990" answers both questions at once
            slots["date_of_birth"] = date_of_birth.isoformat()
        return slots

    def validate_date_of_birth(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        parsed = parse_date_of_birth(str(value or ""))
        if parsed is None:
            dispatcher.utter_message(text=text("identity.unreadable_date"))
            return {"date_of_birth": None}
        return {"date_of_birth": parsed.isoformat()}


class VerifyIdentity(FrontDeskAction):
    action_name = "action_verify_identity"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        forget = [SlotSet("full_name", None), SlotSet("date_of_birth", None)]
        date_of_birth = parse_date_of_birth(turn.slot_text("date_of_birth") or "")
        client = None
        if date_of_birth is not None:
            client = turn.services.check_name_and_dob(turn.slot_text("full_name") or "", date_of_birth)
        if client is not None:
            turn.services.verify(client)
            turn.say(text("identity.verified", first_name=client.first_name))
            resume = turn.slot_text("resume_action")
            resumed = resume_after_check(turn, resume) if resume else []
            return [*forget, SlotSet("resume_action", None), *resumed]
        failures = turn.services.count_verification_failure()
        if failures >= MAX_VERIFICATION_FAILURES:
            return [*forget, *hand_off(turn, HandoffReason.VERIFICATION_FAILED, "handoff.verification_failed")]
        turn.say(DETAILS_DONT_MATCH)
        return [*forget, FollowupAction("verify_form")]
