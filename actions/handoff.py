"""Handing the conversation to a person: on request, for billing, for crisis, or when unsure."""

from __future__ import annotations

from rasa_sdk.events import EventType

from actions.base import FrontDeskAction, Turn, button, hand_off
from assistant.store.models import HandoffReason
from assistant.wording.catalog import text

# Intents a client can be offered as "did you mean" buttons (wording: button.clarify.<intent>).
CLARIFY_OPTIONS = (
    "reschedule_appointment",
    "cancel_appointment",
    "book_appointment",
    "appointment_info",
    "telehealth_link",
    "portal_login_help",
    "billing_update",
    "billing_question",
)


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
        return hand_off(turn, HandoffReason.BILLING, "handoff.billing")


class Crisis(FrontDeskAction):
    action_name = "action_crisis"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        return hand_off(turn, HandoffReason.CRISIS, "crisis.reply")


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
            return hand_off(turn, HandoffReason.LOW_CONFIDENCE, "handoff.low_confidence")
        ranking = turn.tracker.latest_message.get("intent_ranking") or []
        guesses = [item["name"] for item in ranking if item.get("name") in CLARIFY_OPTIONS][:3]
        buttons = [button(f"button.clarify.{name}", f"/{name}") for name in guesses]
        buttons.append(button("button.talk_to_person", "/request_human"))
        turn.say(text("clarify.ask"), buttons=buttons)
        return []
