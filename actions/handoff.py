"""Handing the conversation to a person: on request, for billing, for crisis, or when unsure."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.interfaces import Tracker

from actions.base import FrontDeskAction, Turn, button, clear_pending, hand_off
from actions.tracker_values import IntentGuess, intent_ranking, user_intents
from assistant.store.models import Channel, HandoffReason
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
    """The model read a crisis; the rule screen did not (a screened crisis never reaches the
    bot: the gateway answers it).  A warm check-in first, with 988 and 911; the full protocol
    if one was asked a short while ago and not answered "safe" (docs/crisis.md)."""

    action_name = "action_crisis"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        if turn.services.safety_checked_recently():
            turn.services.forget_safety_check()
            return hand_off(turn, HandoffReason.CRISIS, "crisis.reply")
        turn.services.ask_if_safe(task_to_resume(intent_ranking(turn.tracker)))
        voice = turn.conversation.channel is Channel.VOICE
        turn.say(text("voice.crisis_check.ask" if voice else "crisis_check.ask"))
        return [ActiveLoop(None), *clear_pending(), SlotSet("resume_action", None)]


# What a check-in may carry on with once the client says they are safe: a task, not a
# reaction ("thanks", "yes") or the crisis reading itself.
NOT_RESUMABLE = frozenset(
    {
        "crisis",
        "nlu_fallback",
        "out_of_scope",
        "greet",
        "goodbye",
        "thanks",
        "affirm",
        "deny",
        "choose_option",
        "inform_time_preference",
        "still_stuck",
        "keep_current_time",
        "none_of_these",
    }
)
MIN_RESUME_CONFIDENCE = 0.05  # below this the runner-up intent is noise, not a request


def task_to_resume(ranking: list[IntentGuess]) -> str | None:
    """The likeliest task in the same message besides the crisis reading ("ugh this portal is
    killing me" -> portal_login_help), or None."""
    for guess in ranking:
        if guess.name and guess.name not in NOT_RESUMABLE and guess.confidence >= MIN_RESUME_CONFIDENCE:
            return guess.name
    return None


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
