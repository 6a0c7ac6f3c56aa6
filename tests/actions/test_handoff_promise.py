"""Hand-off replies say honestly when a person will answer; crisis alerts on-call."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from time_machine import TimeMachineFixture

from actions.handoff import ClarifyOrHandoff, Crisis, HandoffBilling, HandoffRequested
from assistant.store.engine import session_scope
from assistant.store.models import (
    Channel,
    Conversation,
    Direction,
    Message,
    MessageStatus,
)
from assistant.wording.catalog import text
from tests.support.actions import make_conversation, run_action, tracker

CRISIS_REPLY = text("crisis.reply")

NY = ZoneInfo("America/New_York")
IN_HOURS = dt.datetime(2026, 11, 25, 10, 0, tzinfo=NY)  # Wednesday morning
FRIDAY_NIGHT = dt.datetime(2026, 11, 27, 21, 0, tzinfo=NY)  # next person: Saturday 9-12


@pytest.fixture
def clock(time_machine: TimeMachineFixture):
    """Freeze the clock (everything that asks for the time, not one module's `utcnow`)."""

    def _set(moment: dt.datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return _set


def _said(messages: list[dict]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


def test_in_hours_the_response_window_is_promised(database_url: str, clock) -> None:
    clock(IN_HOURS)
    conversation = make_conversation(database_url, "Jordan")
    messages, _ = run_action(HandoffRequested(), tracker(conversation, "a person please", "request_human"))
    text = _said(messages)
    assert "a person will reply right here within about an hour" in text
    assert "closed" not in text and "988" in text


def test_out_of_hours_the_client_is_told_when(database_url: str, clock) -> None:
    clock(FRIDAY_NIGHT)
    conversation = make_conversation(database_url, "Jordan")
    messages, _ = run_action(HandoffBilling(), tracker(conversation, "why two charges", "billing_question"))
    text = _said(messages)
    assert "we're closed right now, so a person will reply right here by Sat Nov 28, 10:00 AM ET" in text
    assert "right here." not in text


def test_low_confidence_hand_off_is_honest_too(database_url: str, clock) -> None:
    clock(FRIDAY_NIGHT)
    conversation = make_conversation(database_url)
    events = [
        {"event": "user", "text": "blorp", "parse_data": {"intent": {"name": "nlu_fallback"}}},
        {"event": "user", "text": "zxqv", "parse_data": {"intent": {"name": "nlu_fallback"}}},
    ]
    messages, _ = run_action(
        ClarifyOrHandoff(), tracker(conversation, "zxqv", "nlu_fallback", events=events, confidence=0.2)
    )
    assert "closed right now" in _said(messages)


def test_crisis_reply_is_unchanged_and_on_call_is_texted(database_url: str, clock) -> None:
    clock(FRIDAY_NIGHT)
    conversation = make_conversation(database_url, "Jordan")
    # The model's first crisis reading asks a safety check-in (docs/crisis.md); the second,
    # with the check-in unanswered, is the full protocol: its reply and the on-call alert.
    run_action(Crisis(), tracker(conversation, "...", "crisis"))
    messages, _ = run_action(Crisis(), tracker(conversation, "...", "crisis"))
    assert _said(messages) == CRISIS_REPLY
    with session_scope(database_url) as session:
        (alert,) = session.scalars(
            select(Message)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.address == "+15555550199", Message.direction == Direction.OUTBOUND)
        )
        assert alert.status is MessageStatus.QUEUED
        assert alert.text.startswith("Urgent: a client conversation needs a person now.")
        assert "Jordan" not in alert.text
        assert session.get(Conversation, alert.conversation_id).channel is Channel.SMS
