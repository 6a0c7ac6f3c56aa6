"""SMS end to end: signed webhooks into the real stack, replies out through the real
twilio client to the fake Twilio API, including concurrency and a crash of the gateway."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Conversation,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
    utcnow,
)
from assistant.wording.sms_segments import segment_count
from tests.support.clients import CHRIS
from tests.support.stack import RunningStack
from tests.support.stack_sms import fresh_numbers, post_text, replies_to, text


def test_reschedule_over_sms(stack: RunningStack, new_client) -> None:
    own = new_client()  # like Jordan Lee: a video session with Dr. Patel
    number = own.mobile
    with session_scope(stack.database_url) as session:
        original = session.scalars(
            select(Appointment)
            .where(
                Appointment.client_id == own.id,
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.starts_at > utcnow(),
            )
            .order_by(Appointment.starts_at)
        ).first()
    offer = text(stack, number, "need to move my appointment")
    assert "1. " in offer and "Reply with a number" in offer
    numbered = [line for line in offer.splitlines() if line[:1].isdigit()]
    assert numbered and all(line.endswith(" ET") for line in numbered), offer  # each time says its zone
    assert segment_count(offer) <= 2, offer
    assert "Patel" not in offer  # no clinician names by text unless the practice allows it
    confirm = text(stack, number, "2")
    assert "Move your session" in confirm and "(Reply YES or NO)" in confirm
    assert confirm.count(" ET ") + confirm.count(" ET?") == 2, confirm  # from one time to another, each labelled
    done = text(stack, number, "yes")
    assert "Done!" in done
    with session_scope(stack.database_url) as session:
        assert session.get(Appointment, original.id).status is AppointmentStatus.RESCHEDULED
        assert session.scalars(select(Appointment).where(Appointment.replaces_id == original.id)).one()
    sent = stack.twilio.sent_to(number)
    assert any("Done!" in request.form["Body"] for request in sent)


def test_single_word_cancel_means_the_appointment(stack: RunningStack, new_client) -> None:
    number = new_client(CHRIS).mobile  # like Chris Morgan: in person next week
    reply = text(stack, number, "cancel")
    assert "Do you want to cancel it?" in reply
    assert text(stack, number, "no") == "Okay, your session stays as it is."


def test_unknown_number_gets_no_private_details_and_can_reach_a_person(stack: RunningStack) -> None:
    (number,) = fresh_numbers(1, series=6)  # a number the practice does not know
    reply = text(stack, number, "when is my next appointment")
    assert "can't match this number" in reply
    text(stack, number, "can i talk to a person")
    with session_scope(stack.database_url) as session:
        reasons = session.scalars(
            select(HandoffTicket.reason).join(Conversation).where(Conversation.address == number)
        ).all()
    assert reasons == [HandoffReason.UNKNOWN_NUMBER]


def test_fifty_numbers_texting_at_once_are_each_answered_once(stack: RunningStack) -> None:
    numbers = fresh_numbers(50, series=7)
    with ThreadPoolExecutor(max_workers=25) as pool:
        forms = list(pool.map(lambda number: post_text(stack, number, "hi"), numbers))
    for form in forms:
        replies = replies_to(stack, form, timeout=180)
        assert replies, form["From"]
    for number in numbers:
        with session_scope(stack.database_url) as session:
            outbound = session.scalar(
                select(func.count())
                .select_from(Message)
                .join(Conversation)
                .where(Conversation.address == number, Message.direction == Direction.OUTBOUND)
            )
            inbound = session.scalar(
                select(func.count())
                .select_from(Message)
                .join(Conversation)
                .where(Conversation.address == number, Message.direction == Direction.INBOUND)
            )
        assert inbound == 1
        assert len(stack.twilio.sent_to(number)) == outbound  # every reply sent exactly once


def test_gateway_killed_mid_conversation_loses_nothing(stack: RunningStack) -> None:
    numbers = fresh_numbers(6, series=8)
    forms = [post_text(stack, number, f"hello number {i}") for i in range(4) for number in numbers]
    stack.processes.kill("gateway")  # kill -9 with messages accepted but not yet answered
    with session_scope(stack.database_url) as session:
        unanswered = session.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.external_id.in_([form["MessageSid"] for form in forms]),
                Message.status == MessageStatus.RECEIVED,
            )
        )
    assert unanswered > 0, "the kill came too late to test anything; send more messages"
    stack.processes.restart("gateway")
    for form in forms:
        assert replies_to(stack, form, timeout=180)
    with session_scope(stack.database_url) as session:
        assert session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.external_id.in_([form["MessageSid"] for form in forms]))
        ) == len(forms)
