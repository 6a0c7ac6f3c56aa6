"""The outbox against a fake Twilio API: retries with backoff, permanent failures,
and delivery reports that never move a message backwards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from assistant.channels.sms.outbox import MAX_ATTEMPTS
from assistant.conversation.outbound import send_sms
from assistant.store.engine import session_scope
from assistant.store.models import (
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
    Practice,
    SmsOptOut,
    utcnow,
)
from tests.support.fake_twilio import Failure
from tests.support.outbox import CLIENT, message, outbox_for, queue_text
from tests.support.sms_gateway import ACCOUNT_SID, Texter


def reasons(database_url: str) -> list[HandoffReason]:
    with session_scope(database_url) as session:
        return list(session.scalars(select(HandoffTicket.reason)))


def test_sent_message_keeps_twilios_sid(sms_settings, database_url, fake_twilio) -> None:
    message_id = queue_text(database_url)
    assert outbox_for(sms_settings).run_once() == 1
    sent = message(database_url, message_id)
    assert sent.external_id.startswith("SM") and sent.status is MessageStatus.QUEUED
    assert sent.next_attempt_at is None and sent.attempts == 1
    assert fake_twilio.sent_to(CLIENT)[0].form["Body"] == "Your session is confirmed."
    assert outbox_for(sms_settings).run_once() == 0  # never sent twice


def test_temporary_failures_are_retried_with_backoff(sms_settings, database_url, fake_twilio) -> None:
    fake_twilio.fail_next(
        Failure(status=500), Failure(status=429, code=20429), Failure(status=200, delay=2.0)
    )  # the last one: a timeout
    message_id = queue_text(database_url)
    outbox = outbox_for(sms_settings)
    now = utcnow()
    for attempt in range(1, 4):
        assert outbox.run_once(now=now) == 1
        waiting = message(database_url, message_id)
        assert waiting.status is MessageStatus.QUEUED and waiting.attempts == attempt
        assert waiting.next_attempt_at > now  # backing off, not hammering
        assert outbox.run_once(now=now) == 0
        now = waiting.next_attempt_at + dt.timedelta(seconds=1)
    assert outbox.run_once(now=now) == 1
    delivered = message(database_url, message_id)
    assert delivered.external_id and delivered.attempts == 4
    assert len(fake_twilio.sent_to(CLIENT)) == 1


def test_opted_out_recipient_is_a_permanent_failure_surfaced_to_reps(sms_settings, database_url, fake_twilio) -> None:
    fake_twilio.fail_next(Failure(status=400, code=21610))
    message_id = queue_text(database_url)
    outbox = outbox_for(sms_settings)
    assert outbox.run_once() == 1
    failed = message(database_url, message_id)
    assert failed.status is MessageStatus.FAILED and failed.error_code == "21610"
    assert reasons(database_url) == [HandoffReason.SMS_OPT_OUT]
    with session_scope(database_url) as session:
        assert session.scalars(select(SmsOptOut.source)).all() == ["twilio"]
    assert outbox.run_once(now=utcnow() + dt.timedelta(hours=1)) == 0  # not retried
    # And nothing more goes to that number.
    later = queue_text(database_url, "another")
    outbox.run_once()
    assert message(database_url, later).status is MessageStatus.FAILED
    assert fake_twilio.sent_to(CLIENT) == []


def test_giving_up_after_max_attempts_hands_off(sms_settings, database_url, fake_twilio) -> None:
    fake_twilio.fail_next(*[Failure(status=503)] * MAX_ATTEMPTS)
    message_id = queue_text(database_url)
    outbox = outbox_for(sms_settings)
    now = utcnow()
    for _ in range(MAX_ATTEMPTS):
        assert outbox.run_once(now=now) == 1
        now += dt.timedelta(hours=1)
    gave_up = message(database_url, message_id)
    assert gave_up.status is MessageStatus.FAILED and gave_up.attempts == MAX_ATTEMPTS
    assert reasons(database_url) == [HandoffReason.DELIVERY_FAILED]


def test_status_callbacks_never_move_backwards(sms_settings, database_url, texter: Texter) -> None:
    message_id = queue_text(database_url)
    outbox_for(sms_settings).run_once()
    sid = message(database_url, message_id).external_id

    def report(status: str, **extra: str) -> int:
        form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID, **extra}
        return texter.post(form, path="/twilio/status").status_code

    assert report("sent") == 204
    assert message(database_url, message_id).status is MessageStatus.SENT
    assert report("delivered") == 204
    assert report("sent") == 204 and report("queued") == 204  # late arrivals
    assert message(database_url, message_id).status is MessageStatus.DELIVERED
    assert texter.gateway.post("/twilio/status", data={"MessageSid": sid, "MessageStatus": "failed"}).status_code == 403
    assert message(database_url, message_id).status is MessageStatus.DELIVERED


def test_undelivered_report_is_surfaced(sms_settings, database_url, texter: Texter) -> None:
    message_id = queue_text(database_url)
    outbox_for(sms_settings).run_once()
    sid = message(database_url, message_id).external_id
    form = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30003", "AccountSid": ACCOUNT_SID}
    assert texter.post(form, path="/twilio/status").status_code == 204
    undelivered = message(database_url, message_id)
    assert undelivered.status is MessageStatus.UNDELIVERED and undelivered.error_code == "30003"
    assert reasons(database_url) == [HandoffReason.DELIVERY_FAILED]


def test_long_replies_are_split_into_phone_sized_texts(database_url) -> None:
    long_reply = " ".join(f"Sentence number {n} explains one more thing about your visit." for n in range(20))
    first_id = queue_text(database_url, long_reply)
    with session_scope(database_url) as session:
        conversation_id = session.get(Message, first_id).conversation_id
        parts = session.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
        ).all()
    assert len(parts) > 1 and all(part.segments <= 3 for part in parts)
    assert " ".join(part.text for part in parts) == long_reply
    assert all(part.text.endswith(".") for part in parts)


def test_one_time_codes_are_not_kept_once_sent(sms_settings, database_url, fake_twilio) -> None:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).first()
        message_id = send_sms(session, practice.id, CLIENT, "Your code is 123456.", secret=True).id
    outbox_for(sms_settings).run_once()
    assert fake_twilio.sent_to(CLIENT)[0].form["Body"] == "Your code is 123456."
    assert "123456" not in message(database_url, message_id).text
