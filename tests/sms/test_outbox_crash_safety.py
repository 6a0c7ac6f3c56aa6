"""A text Twilio accepted just before our side could record it (the process died mid-send,
or Twilio's answer timed out) is found at Twilio and never sent to the client twice; the
same words sent again on purpose still go; and when Twilio cannot be asked, nothing is
sent blind."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.channels.sms.outbox import LEASE
from assistant.store.models import MessageStatus, utcnow
from tests.support.fake_twilio import Failure, FakeTwilio
from tests.support.outbox import CLIENT, message, outbox_for, queue_text

AFTER_THE_LEASE = LEASE + dt.timedelta(seconds=1)


class ProcessDied(BaseException):
    """Stands for SIGKILL between Twilio's answer and our commit (not an Exception: nothing catches it)."""


def test_a_text_accepted_before_a_crash_is_recorded_not_sent_again(
    sms_settings, database_url: str, fake_twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    message_id = queue_text(database_url)
    dying = outbox_for(sms_settings)

    def die(*_args: object) -> None:
        raise ProcessDied

    monkeypatch.setattr(dying, "_handed_over", die)
    now = utcnow()
    with pytest.raises(ProcessDied):
        dying.run_once(now=now)
    assert len(fake_twilio.sent_to(CLIENT)) == 1  # Twilio has it; we recorded nothing
    assert message(database_url, message_id).external_id is None

    restarted = outbox_for(sms_settings)  # the next process, once the dead one's lease is over
    assert restarted.run_once(now=now + AFTER_THE_LEASE) == 1
    recorded = message(database_url, message_id)
    assert len(fake_twilio.sent_to(CLIENT)) == 1, "the client was texted twice"
    assert recorded.external_id == fake_twilio.messages[0]["sid"]
    assert recorded.status is MessageStatus.QUEUED and recorded.next_attempt_at is None
    assert recorded.leased_by is None and recorded.lease_until is None
    assert [lookup["To"] for lookup in fake_twilio.lookups] == [CLIENT]
    assert restarted.run_once(now=now + 2 * AFTER_THE_LEASE) == 0


def test_a_timeout_after_twilio_accepted_is_not_sent_again(sms_settings, database_url, fake_twilio) -> None:
    fake_twilio.fail_next(Failure(status=200, delay=2.0, accepted=True))  # created, then the answer times out
    message_id = queue_text(database_url)
    outbox = outbox_for(sms_settings)
    now = utcnow()
    assert outbox.run_once(now=now) == 1
    waiting = message(database_url, message_id)
    assert waiting.external_id is None and waiting.attempts == 1
    assert outbox.run_once(now=waiting.next_attempt_at + dt.timedelta(seconds=1)) == 1
    assert len(fake_twilio.sent_to(CLIENT)) == 1
    assert message(database_url, message_id).external_id == fake_twilio.messages[0]["sid"]


def test_the_same_words_sent_again_on_purpose_still_go(sms_settings, database_url, fake_twilio) -> None:
    outbox = outbox_for(sms_settings)
    first = queue_text(database_url, "Okay.")
    assert outbox.run_once() == 1
    fake_twilio.fail_next(Failure(status=200, delay=2.0))  # a timeout; Twilio never created it
    second = queue_text(database_url, "Okay.")
    now = utcnow()
    assert outbox.run_once(now=now) == 1
    assert outbox.run_once(now=message(database_url, second).next_attempt_at + dt.timedelta(seconds=1)) == 1
    # The lookup found the first "Okay." at Twilio, but that one is already ours.
    assert [request.form["Body"] for request in fake_twilio.sent_to(CLIENT)] == ["Okay.", "Okay."]
    assert message(database_url, second).external_id not in (None, message(database_url, first).external_id)


def test_when_twilio_cannot_be_asked_nothing_is_sent_blind(sms_settings, database_url, fake_twilio) -> None:
    fake_twilio.fail_next(Failure(status=200, delay=2.0, accepted=True), Failure(status=503))  # send, then lookup
    message_id = queue_text(database_url)
    outbox = outbox_for(sms_settings)
    assert outbox.run_once(now=utcnow()) == 1
    assert outbox.run_once(now=message(database_url, message_id).next_attempt_at + dt.timedelta(seconds=1)) == 1
    waiting = message(database_url, message_id)
    assert waiting.external_id is None and waiting.error_code  # why it waits: the failed lookup
    assert len(fake_twilio.sent_to(CLIENT)) == 1  # not sent again while the lookup failed
    assert outbox.run_once(now=waiting.next_attempt_at + dt.timedelta(seconds=1)) == 1
    assert len(fake_twilio.sent_to(CLIENT)) == 1
    assert message(database_url, message_id).external_id == fake_twilio.messages[0]["sid"]
