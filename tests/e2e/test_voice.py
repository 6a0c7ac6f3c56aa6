"""Phone calls end to end: signed Twilio Voice webhooks into the real stack (trained
model, Rasa, action server, gateway), TwiML read by its structure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import func, select

from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Call,
    Channel,
    Conversation,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    TicketState,
    utcnow,
)
from tests.support.clients import OwnClient
from tests.support.practices import create_practice
from tests.support.stack import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, RunningStack
from tests.support.stack_sms import fresh_numbers
from tests.support.voice_caller import Caller

SPOKEN_TIME = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) the \d")


@pytest.fixture
def voice_http(stack: RunningStack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        yield client


@pytest.fixture
def call(stack: RunningStack, voice_http: httpx.Client) -> Callable[..., Caller]:
    def _call(from_number: str | None, to_number: str = "+15555550100") -> Caller:
        return Caller(voice_http, TWILIO_AUTH_TOKEN, stack.url, TWILIO_ACCOUNT_SID, from_number, to_number)

    return _call


def _texts_to(stack: RunningStack, number: str) -> list[str]:
    """What the number's phone shows: the client's own copy where reps see a masked one."""
    with session_scope(stack.database_url) as session:
        return list(
            session.scalars(
                select(func.coalesce(Message.client_text, Message.text))
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(
                    Conversation.channel == Channel.SMS,
                    Conversation.address == number,
                    Message.direction == Direction.OUTBOUND,
                )
                .order_by(Message.id)
            )
        )


def _call_row(stack: RunningStack, caller: Caller) -> Call:
    with session_scope(stack.database_url) as session:
        row = session.scalars(select(Call).where(Call.call_sid == caller.call_sid)).one()
        session.expunge(row)
        return row


def _tickets(stack: RunningStack, caller: Caller) -> list[HandoffTicket]:
    row = _call_row(stack, caller)
    with session_scope(stack.database_url) as session:
        tickets = list(
            session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == row.conversation_id))
        )
        for ticket in tickets:
            session.expunge(ticket)
        return tickets


def test_jordan_moves_a_session_by_voice_and_gets_the_video_link_by_text(
    stack: RunningStack, new_client: Callable[..., OwnClient], call: Callable[..., Caller]
) -> None:
    own = new_client()  # like Jordan: a video session with Dr. Patel in two days
    with session_scope(stack.database_url) as session:
        original = session.scalars(
            select(Appointment)
            .where(Appointment.client_id == own.id, Appointment.status == AppointmentStatus.BOOKED)
            .where(Appointment.starts_at > utcnow())
            .order_by(Appointment.starts_at)
        ).first()
        assert original is not None
    caller = call(own.mobile)
    greeting = caller.ring()
    assert greeting.one("Gather").get("input") == "dtmf speech"
    assert "Lakeside Counseling" in greeting.speech
    asked = caller.say("hi i need to move my appointment")
    assert asked.one("Gather").get("numDigits") == "8"  # the date of birth, before anything else
    assert not SPOKEN_TIME.search(asked.speech)
    offer = caller.press(own.date_of_birth.strftime("%m%d%Y"))
    assert "Thank you, Jordan" in offer.speech
    assert SPOKEN_TIME.search(offer.speech) and "press" in offer.speech.lower()
    assert "Patel" not in offer.speech  # no clinician names unless the practice allows them
    assert "http" not in offer.speech and "Reply" not in offer.speech
    confirm = caller.press("2")
    assert "Move your session" in confirm.speech and "press 1 for yes" in confirm.speech
    done = caller.say("yes")
    assert "Done!" in done.speech
    for prompt in (offer, confirm, done):  # the zone in words, once, never "E T"
        assert prompt.speech.count("Eastern time") == 1, prompt.speech
        assert not re.search(r"\bE\.? ?T\b|\bE[SD]T\b", prompt.speech), prompt.speech
    assert done.has("Gather")
    with session_scope(stack.database_url) as session:
        assert session.get_one(Appointment, original.id).status is AppointmentStatus.RESCHEDULED
        assert session.scalars(select(Appointment).where(Appointment.replaces_id == original.id)).one()
    link = caller.say("can you send me my zoom link")
    assert "texted the link to your mobile" in link.speech
    assert "http" not in link.speech and "zoom.us" not in link.speech.lower()
    assert any("zoom" in body.lower() and "https://" in body for body in _texts_to(stack, own.mobile))
    caller.hang_up()
    assert _call_row(stack, caller).ended_at is not None
    assert not any("missed your call" in body for body in _texts_to(stack, own.mobile))


def test_a_person_in_hours_then_voicemail_becomes_a_call_back_ticket(
    stack: RunningStack, call: Callable[..., Caller]
) -> None:
    practice = create_practice(stack.database_url, open_now=True)
    [number] = fresh_numbers(1, 9)
    caller = call(number, practice.phone)
    caller.ring()
    transfer = caller.say("can i talk to a real person please")
    dial = transfer.one("Dial")
    assert dial.get("answerOnBridge") == "true"
    assert [n.text for n in dial.iter("Number")] == list(practice.front_desk)
    assert "connect you" in transfer.speech
    voicemail = caller.dial_ends("no-answer")
    record = voicemail.one("Record")
    assert record.get("transcribe") == "true" and record.get("trim") == "trim-silence"
    assert "call you back" in voicemail.speech
    done, _ = caller.leave_message("hi this is sam, please call me back about thursday")
    assert "we have your message" in done.speech and done.has("Hangup")
    caller.hang_up()
    [ticket] = _tickets(stack, caller)
    assert ticket.reason is HandoffReason.CALLBACK and ticket.state is TicketState.OPEN and ticket.priority == 1
    row = _call_row(stack, caller)
    assert row.recording_url and row.transcript == "hi this is sam, please call me back about thursday"
    with session_scope(stack.database_url) as session:
        said = session.scalars(select(Message.text).where(Message.conversation_id == row.conversation_id)).all()
    assert "Voicemail: hi this is sam, please call me back about thursday" in said
    [confirmation] = _texts_to(stack, number)
    assert "we got your voicemail" in confirmation and "STOP" in confirmation


def test_after_hours_a_person_means_a_message_straight_away(stack: RunningStack, call: Callable[..., Caller]) -> None:
    practice = create_practice(stack.database_url, open_now=False)
    [number] = fresh_numbers(1, 9)
    caller = call(number, practice.phone)
    caller.ring()
    heard = caller.say("i need to speak to someone at the front desk")
    assert not heard.has("Dial")
    assert heard.has("Record") and "closed right now" in heard.speech and "call you back" in heard.speech


def test_crisis_mid_call_says_988_and_911_and_puts_through_to_on_call(
    stack: RunningStack, call: Callable[..., Caller]
) -> None:
    practice = create_practice(stack.database_url, open_now=True)
    [number] = fresh_numbers(1, 9)
    caller = call(number, practice.phone)
    caller.ring()
    heard = caller.say("i don't want to live anymore i want to kill myself")
    assert "988" in heard.speech and "911" in heard.speech
    assert [n.text for n in heard.one("Dial").iter("Number")] == [practice.oncall]
    [ticket] = _tickets(stack, caller)
    assert ticket.reason is HandoffReason.CRISIS and ticket.priority == 0
    assert any("Urgent" in body for body in _texts_to(stack, practice.oncall or ""))
    again = caller.dial_ends("no-answer")
    assert "988" in again.speech and "911" in again.speech and again.has("Record")
    assert "connect you to 911" not in again.speech.lower()


def test_an_unknown_caller_hears_nothing_private(stack: RunningStack, call: Callable[..., Caller]) -> None:
    [number] = fresh_numbers(1, 9)
    caller = call(number)
    caller.ring()
    heard = caller.say("when is my next appointment")
    assert not SPOKEN_TIME.search(heard.speech)
    assert "Patel" not in heard.speech and "Rivera" not in heard.speech and "Chen" not in heard.speech


def test_a_card_number_read_out_is_kept_out_of_the_records(stack: RunningStack, call: Callable[..., Caller]) -> None:
    [number] = fresh_numbers(1, 9)
    caller = call(number)
    caller.ring()
    heard = caller.say("my card number is 4242 4242 4242 4242")
    assert "don't read card numbers" in heard.speech
    row = _call_row(stack, caller)
    with session_scope(stack.database_url) as session:
        stored = session.scalars(select(Message.text).where(Message.conversation_id == row.conversation_id)).all()
    assert not any("4242 4242" in text or "4242424242424242" in text for text in stored)


def test_a_verified_caller_reading_a_card_gets_the_secure_link_by_text(
    stack: RunningStack, new_client: Callable[..., OwnClient], call: Callable[..., Caller]
) -> None:
    own = new_client()
    caller = call(own.mobile)
    caller.ring()
    caller.say("hello")
    caller.press(own.date_of_birth.strftime("%m%d%Y"))
    heard = caller.say("my new card is 4111 1111 1111 1111 expiring 09 29")
    assert "don't read card numbers" in heard.speech and "texted the link" in heard.speech
    assert "http" not in heard.speech
    links = [body for body in _texts_to(stack, own.mobile) if "the link from your call" in body]
    assert len(links) == 1 and "/billing/update/" in links[0] and "4111" not in links[0]


def test_silence_twice_ends_politely_with_a_text(stack: RunningStack, call: Callable[..., Caller]) -> None:
    [number] = fresh_numbers(1, 9)
    caller = call(number)
    caller.ring()
    again = caller.stay_silent()
    assert again.has("Gather") and "didn't hear anything" in again.speech
    bye = caller.stay_silent()
    assert bye.has("Hangup") and not bye.has("Gather")
    [text] = _texts_to(stack, number)
    assert "couldn't hear you" in text and "STOP" in text


def test_words_twilio_barely_heard_twice_bring_a_person(stack: RunningStack, call: Callable[..., Caller]) -> None:
    practice = create_practice(stack.database_url, open_now=True)
    [number] = fresh_numbers(1, 9)
    caller = call(number, practice.phone)
    caller.ring()
    first = caller.say("mmf brrr", confidence="0.12")
    assert first.has("Gather") and "another way" in first.speech
    second = caller.say("hrmm", confidence="0.08")
    assert second.has("Dial")
    [ticket] = _tickets(stack, caller)
    assert ticket.reason is HandoffReason.LOW_CONFIDENCE


def test_keypad_zero_always_reaches_a_person(stack: RunningStack, call: Callable[..., Caller]) -> None:
    practice = create_practice(stack.database_url, open_now=False)
    [number] = fresh_numbers(1, 9)
    caller = call(number, practice.phone)
    caller.ring()
    assert caller.press("0").has("Record")


def test_a_call_that_ends_during_the_greeting_gets_one_text_back(
    stack: RunningStack, call: Callable[..., Caller]
) -> None:
    [number] = fresh_numbers(1, 9)
    first = call(number)
    first.ring()
    first.hang_up("completed", duration="3")
    first.hang_up("completed", duration="3")  # Twilio retried the callback: one text
    assert [body for body in _texts_to(stack, number) if "missed your call" in body] != []
    second = call(number)
    second.ring()
    second.hang_up("no-answer", duration="0")
    assert len([body for body in _texts_to(stack, number) if "missed your call" in body]) == 1
