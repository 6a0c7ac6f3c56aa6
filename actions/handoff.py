"""Handing the conversation to a person: on request, for billing, for crisis, or when unsure."""

from __future__ import annotations

from rasa_sdk.events import EventType

from actions.base import FrontDeskAction, Turn, hand_off
from assistant.replies import CRISIS_REPLY
from assistant.store.models import HandoffReason

# Intents a client can be offered as "did you mean" buttons, with their wording.
CLARIFY_OPTIONS = {
    "reschedule_appointment": "Move a session",
    "cancel_appointment": "Cancel a session",
    "book_appointment": "Book a session",
    "appointment_info": "When is my session?",
    "telehealth_link": "Video link",
    "portal_login_help": "Portal sign-in help",
    "billing_update": "Update my card",
    "billing_question": "Billing question",
}


class HandoffRequested(FrontDeskAction):
    action_name = "action_handoff_requested"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        unknown_texter = turn.is_sms and turn.client is None
        return hand_off(turn, HandoffReason.UNKNOWN_NUMBER if unknown_texter else HandoffReason.REQUESTED)


class HandoffBilling(FrontDeskAction):
    action_name = "action_handoff_billing"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        return hand_off(turn, HandoffReason.BILLING,
                        "Billing questions are best answered by our team, so I've passed this on; "
                        "a person will reply right here. To update your card yourself, "
                        "ask me for a card update link.")


class Crisis(FrontDeskAction):
    action_name = "action_crisis"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        return hand_off(turn, HandoffReason.CRISIS, CRISIS_REPLY)


def asked_to_clarify_last_turn(events: list[dict]) -> bool:
    """Whether the previous client message was also not understood (so we already asked once)."""
    user_turns = [event for event in events if event.get("event") == "user"]
    if len(user_turns) < 2:
        return False
    previous = user_turns[-2].get("parse_data", {}).get("intent", {}).get("name")
    return previous == "nlu_fallback"


class ClarifyOrHandoff(FrontDeskAction):
    """Not sure what the client means: ask once with quick options, then bring in a person."""

    action_name = "action_clarify_or_handoff"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        if asked_to_clarify_last_turn(turn.tracker.events):
            return hand_off(turn, HandoffReason.LOW_CONFIDENCE,
                            "I'm sorry, I'm not sure I understood. I've passed your message to our "
                            "front desk team; a person will reply right here.")
        ranking = turn.tracker.latest_message.get("intent_ranking") or []
        guesses = [item["name"] for item in ranking if item.get("name") in CLARIFY_OPTIONS][:3]
        buttons = [{"title": CLARIFY_OPTIONS[name], "payload": f"/{name}"} for name in guesses]
        buttons.append({"title": "Talk to a person", "payload": "/request_human"})
        turn.say("Sorry, I didn't quite get that. Is it one of these?", buttons=buttons)
        return []
