"""action_answer_practice_question: answers from the practice's settings on every channel,
no identity needed, a person for what the practice has not answered, and a flow on screen
left as it was (a digression)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select
from time_machine import TimeMachineFixture

from actions.practice_questions import AnswerPracticeQuestion
from assistant.store.engine import session_scope
from assistant.store.models import Channel, FaqTopic, HandoffReason, HandoffTicket, PracticeFaqAnswer
from assistant.wording import sms_segments
from tests.support.actions import make_conversation, run_action, tracker

NY = ZoneInfo("America/New_York")
SATURDAY_MORNING = dt.datetime(2026, 11, 28, 10, 30, tzinfo=NY)
SATURDAY_AFTERNOON = dt.datetime(2026, 11, 28, 13, 0, tzinfo=NY)


@pytest.fixture
def clock(time_machine: TimeMachineFixture):
    def _set(moment: dt.datetime) -> None:
        time_machine.move_to(moment, tick=False)

    return _set


def _said(messages: list[dict]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


def _tickets(database_url: str, conversation_id: str) -> list[HandoffReason]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(select(HandoffTicket.reason).where(HandoffTicket.conversation_id == conversation_id))
        )


def test_hours_and_open_now_on_a_frozen_saturday(database_url: str, clock) -> None:
    clock(SATURDAY_MORNING)
    conversation = make_conversation(database_url)  # nobody verified: no PHI here
    messages, events = run_action(AnswerPracticeQuestion(), tracker(conversation, "what are your hours", "faq_hours"))
    assert _said(messages) == (
        "Our front desk hours are Monday to Friday 9 AM to 5 PM, Saturday 9 AM to noon, closed Sunday (ET). "
        "We're open now, until 12:00 PM ET today."
    )
    assert events == []
    clock(SATURDAY_AFTERNOON)
    messages, _ = run_action(AnswerPracticeQuestion(), tracker(conversation, "r u open rn", "faq_open_now"))
    assert _said(messages).startswith("No, we're closed right now. We open again Mon Nov 30, 9:00 AM ET.")
    assert _tickets(database_url, conversation) == []


def test_parking_by_text_to_a_number_not_on_file(database_url: str, clock) -> None:
    clock(SATURDAY_MORNING)
    conversation = make_conversation(database_url, channel=Channel.SMS)
    messages, _ = run_action(AnswerPracticeQuestion(), tracker(conversation, "where do i park", "faq_parking"))
    said = _said(messages)
    assert "Free parking is in the lot behind Building B" in said
    assert sms_segments.segment_count(said) <= sms_segments.MAX_SEGMENTS_PER_MESSAGE
    for name in ("Patel", "Rivera", "Chen"):
        assert name not in said


def test_an_unanswered_question_goes_to_a_person_with_its_reason(database_url: str, clock) -> None:
    clock(SATURDAY_MORNING)
    with session_scope(database_url) as session:
        session.execute(delete(PracticeFaqAnswer).where(PracticeFaqAnswer.topic == FaqTopic.ACCESSIBILITY))
    conversation = make_conversation(database_url, "Jordan")
    messages, events = run_action(
        AnswerPracticeQuestion(), tracker(conversation, "do you have an asl interpreter", "faq_accessibility")
    )
    said = _said(messages)
    assert said.startswith("Good question. I don't have that answer on hand, so I've asked our front desk team;")
    assert "a person will reply right here within about an hour" in said
    assert "wheelchair" not in said  # nothing invented
    assert _tickets(database_url, conversation) == [HandoffReason.PRACTICE_QUESTION]
    assert {"event": "active_loop", "name": None} in [
        {key: event.get(key) for key in ("event", "name")} for event in events
    ]


def test_a_question_mid_offer_is_answered_and_the_offer_stands(database_url: str, clock) -> None:
    clock(SATURDAY_MORNING)
    conversation = make_conversation(database_url, "Jordan")
    offered = ["2026-12-01T20:00:00+00:00", "2026-12-02T15:00:00+00:00"]
    slots = {"pending_task": "reschedule", "offered_slots": offered, "target_appointment_id": None}
    messages, events = run_action(
        AnswerPracticeQuestion(),
        tracker(conversation, "wait before i pick, how do video sessions even work", "faq_telehealth", slots=slots),
    )
    said = _said(messages)
    assert "Video sessions run on Zoom" in said and "Test your connection: https://zoom.us/test" in said
    # ...then the offer again, with the same buttons, so "2" next still picks from it.
    assert said.index("Video sessions") < said.index("Tue Dec 1, 3:00 PM") < said.index("Wed Dec 2, 10:00 AM")
    assert [button["payload"] for button in messages[-1]["buttons"]] == [
        f'/choose_option{{"option":"{n}"}}' for n in (1, 2)
    ]
    assert events == []  # no slot touched


def test_the_cancellation_policy_is_the_practices_own(database_url: str, clock) -> None:
    clock(SATURDAY_MORNING)
    conversation = make_conversation(database_url, channel=Channel.VOICE)
    messages, _ = run_action(
        AnswerPracticeQuestion(), tracker(conversation, "what's your cancellation policy", "faq_cancellation_policy")
    )
    assert _said(messages) == (
        "We ask for 24 hours' notice to cancel or reschedule a session. Cancelling with less notice carries a "
        "$75.00 late-cancellation fee. To cancel or move a session, just tell me."
    )


def test_run_for_another_intent_it_hands_off_rather_than_guess(database_url: str, clock) -> None:
    clock(SATURDAY_MORNING)
    conversation = make_conversation(database_url)
    messages, _ = run_action(AnswerPracticeQuestion(), tracker(conversation, "hm", "out_of_scope"))
    assert "I've asked our front desk team" in _said(messages)
    assert _tickets(database_url, conversation) == [HandoffReason.PRACTICE_QUESTION]
