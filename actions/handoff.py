"""Handing the conversation to a person: on request, for billing, for crisis, or when unsure."""

from __future__ import annotations

from rasa_sdk.events import EventType
from rasa_sdk.interfaces import Tracker

from actions.base import FrontDeskAction, Turn, button, hand_off
from actions.tracker_values import intent_ranking, user_intents
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
        unknown_texter = turn.is_phone and turn.client is None
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


def asked_to_clarify_last_turn(tracker: Tracker) -> bool:
    """Whether the previous client message was also not understood (so we already asked once)."""
    intents = user_intents(tracker)
    return len(intents) >= 2 and intents[-2] == "nlu_fallback"


class ClarifyOrHandoff(FrontDeskAction):
    """Not sure what the client means: ask once with quick options, then bring in a person."""

    action_name = "action_clarify_or_handoff"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        if asked_to_clarify_last_turn(turn.tracker):
            return hand_off(turn, HandoffReason.LOW_CONFIDENCE, "handoff.low_confidence")
        guesses = [guess.name for guess in intent_ranking(turn.tracker) if guess.name in CLARIFY_OPTIONS][:3]
        buttons = [button(f"button.clarify.{name}", f"/{name}") for name in guesses]
        buttons.append(button("button.talk_to_person", "/request_human"))
        turn.say(text("clarify.ask"), buttons=buttons)
        return []
