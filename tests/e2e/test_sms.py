"""SMS end to end: signed webhooks into the real stack, replies out through the real
twilio client to the fake Twilio API, including concurrency and a crash of the gateway."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from assistant.sms_cli import twilio_form
from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Client,
    Conversation,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
    utcnow,
)
from tests.e2e.conftest import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, RunningStack

PRACTICE_NUMBER = "+15555550100"


def post_text(stack: RunningStack, from_number: str, body: str) -> dict[str, str]:
    form = twilio_form(from_number=from_number, to_number=PRACTICE_NUMBER, body=body, account_sid=TWILIO_ACCOUNT_SID)
    signature = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(f"{stack.url}/twilio/sms", form)
    response = httpx.post(f"{stack.url}/twilio/sms", data=form, headers={"X-Twilio-Signature": signature},
                          timeout=30)
    assert response.status_code == 200, response.text
    return form


def replies_to(stack: RunningStack, form: dict[str, str], timeout: float = 60) -> list[Message]:
    """The texts the practice queued after this inbound message, once it is handled and sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(stack.database_url) as session:
            inbound = session.scalars(select(Message).where(Message.external_id == form["MessageSid"])).first()
            if inbound is not None and inbound.status is MessageStatus.PROCESSED:
                later = session.scalars(select(Message).where(
                    Message.conversation_id == inbound.conversation_id, Message.direction == Direction.OUTBOUND,
                    Message.id > inbound.id).order_by(Message.id)).all()
                if all(message.external_id for message in later):
                    return list(later)
        time.sleep(0.2)
    raise AssertionError("no handled reply in time")


def text(stack: RunningStack, from_number: str, body: str) -> str:
    return "\n".join(message.text for message in replies_to(stack, post_text(stack, from_number, body)))


def test_reschedule_over_sms(stack: RunningStack) -> None:
    number = "+15555550123"  # Jordan Lee's mobile on file
    with session_scope(stack.database_url) as session:
        jordan = session.scalars(select(Client).where(Client.mobile_e164 == number)).one()
        original = session.scalars(select(Appointment).where(
            Appointment.client_id == jordan.id, Appointment.status == AppointmentStatus.BOOKED,
            Appointment.starts_at > utcnow()).order_by(Appointment.starts_at)).first()
    offer = text(stack, number, "need to move my appointment")
    assert "1. " in offer and "Reply with a number" in offer
    assert "Patel" not in offer  # no clinician names by text unless the practice allows it
    confirm = text(stack, number, "2")
    assert "Move your session" in confirm and "(Reply YES or NO)" in confirm
    done = text(stack, number, "yes")
    assert "Done!" in done
    with session_scope(stack.database_url) as session:
        assert session.get(Appointment, original.id).status is AppointmentStatus.RESCHEDULED
        assert session.scalars(select(Appointment).where(Appointment.replaces_id == original.id)).one()
    sent = stack.twilio.sent_to(number)
    assert any("Done!" in request.form["Body"] for request in sent)


def test_single_word_cancel_means_the_appointment(stack: RunningStack) -> None:
    reply = text(stack, "+15555550125", "cancel")  # Chris Morgan
    assert "Do you want to cancel it?" in reply
    assert text(stack, "+15555550125", "no") == "Okay, your session stays as it is."


def test_unknown_number_gets_no_private_details_and_can_reach_a_person(stack: RunningStack) -> None:
    number = "+15555551234"
    reply = text(stack, number, "when is my next appointment")
    assert "can't match this number" in reply
    text(stack, number, "can i talk to a person")
    with session_scope(stack.database_url) as session:
        reasons = session.scalars(select(HandoffTicket.reason).join(Conversation).where(
            Conversation.address == number)).all()
    assert reasons == [HandoffReason.UNKNOWN_NUMBER]


def test_fifty_numbers_texting_at_once_are_each_answered_once(stack: RunningStack) -> None:
    numbers = [f"+1555700{n:04d}" for n in range(50)]
    with ThreadPoolExecutor(max_workers=25) as pool:
        forms = list(pool.map(lambda number: post_text(stack, number, "hi"), numbers))
    for form in forms:
        replies = replies_to(stack, form, timeout=180)
        assert replies, form["From"]
    for number, form in zip(numbers, forms, strict=True):
        with session_scope(stack.database_url) as session:
            outbound = session.scalar(select(func.count()).select_from(Message).join(Conversation).where(
                Conversation.address == number, Message.direction == Direction.OUTBOUND))
            inbound = session.scalar(select(func.count()).select_from(Message).join(Conversation).where(
                Conversation.address == number, Message.direction == Direction.INBOUND))
        assert inbound == 1
        assert len(stack.twilio.sent_to(number)) == outbound  # every reply sent exactly once


def test_gateway_killed_mid_conversation_loses_nothing(stack: RunningStack) -> None:
    numbers = [f"+1555800{n:04d}" for n in range(6)]
    forms = [post_text(stack, number, f"hello number {i}") for i in range(4) for number in numbers]
    stack.processes.kill("gateway")  # kill -9 with messages accepted but not yet answered
    with session_scope(stack.database_url) as session:
        unanswered = session.scalar(select(func.count()).select_from(Message).where(
            Message.external_id.in_([form["MessageSid"] for form in forms]),
            Message.status == MessageStatus.RECEIVED))
    assert unanswered > 0, "the kill came too late to test anything; send more messages"
    stack.processes.restart("gateway")
    for form in forms:
        assert replies_to(stack, form, timeout=180)
    with session_scope(stack.database_url) as session:
        assert session.scalar(select(func.count()).select_from(Message).where(
            Message.external_id.in_([form["MessageSid"] for form in forms]))) == len(forms)
