"""Answers to an outreach text, in-process through the signed SMS webhook: C confirms the
reminded session, R / X start the bot's reschedule / cancel flow, LINK texts the video link,
a moved or cancelled session gets an honest answer, and nothing else changes (STOP, unknown
numbers, old texts).  A fake Rasa records what the dialogue model is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from assistant.config import Settings
from assistant.services import appointments
from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AuditEvent,
    OutreachKind,
    SmsOptOut,
    utcnow,
)
from tests.support.clients import CHRIS, JORDAN, OwnClient, create_client
from tests.support.fake_rasa import FakeRasa
from tests.support.fake_twilio import FakeTwilio
from tests.support.outreach_jobs import appointment, job, next_session, send_outreach
from tests.support.sms_gateway import Texter, answered, settings_with_bot

BOT_DEFAULT = "How else can I help?"


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa().start()
    yield fake
    fake.stop()


@pytest.fixture
def sms_settings(database_url: str, fake_twilio: FakeTwilio, redis_url: str, fake_rasa: FakeRasa) -> Settings:
    return settings_with_bot(database_url, fake_twilio.url, redis_url, fake_rasa.url)


def say(texter: Texter, database_url: str, number: str, body: str) -> list[str]:
    """Text the practice; the texts it answered with."""
    return answered(texter, database_url, number, body)[1]


def reminded(database_url: str, own: OwnClient, **kwargs: object) -> tuple[int, int]:
    """(job id, appointment id): a reminder for the client's next session, sent 5 minutes ago."""
    session_id = next_session(database_url, own.id).id
    return send_outreach(database_url, own.id, session_id, **kwargs), session_id  # type: ignore[arg-type]


def confirmations(database_url: str, appointment_id: int) -> int:
    with session_scope(database_url) as session:
        return len(
            session.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == "appointment_confirmed", AuditEvent.subject_id == str(appointment_id)
                )
            ).all()
        )


@pytest.mark.parametrize("body", ["C", "c", "confirm", "Yes, see you then!"])
def test_c_confirms_the_reminded_session(texter: Texter, database_url: str, fake_rasa: FakeRasa, body: str) -> None:
    own = create_client(database_url, JORDAN)
    job_id, session_id = reminded(database_url, own)
    replies = say(texter, database_url, own.mobile, body)
    assert len(replies) == 1 and replies[0].startswith("You're confirmed for ") and "See you then!" in replies[0]
    confirmed = appointment(database_url, session_id)
    assert confirmed.confirmed_at is not None
    assert job(database_url, job_id).replied_at is not None
    assert confirmations(database_url, session_id) == 1
    assert fake_rasa.heard == []  # answered by the gateway, not the dialogue model
    # A second C changes nothing more.
    assert say(texter, database_url, own.mobile, "C")[0].startswith("You're confirmed for ")
    assert confirmations(database_url, session_id) == 1


def test_a_later_yes_answers_the_bot_not_the_reminder(texter: Texter, database_url: str, fake_rasa: FakeRasa) -> None:
    own = create_client(database_url, JORDAN)
    _, session_id = reminded(database_url, own)
    assert say(texter, database_url, own.mobile, "can we do later") == [BOT_DEFAULT]
    assert say(texter, database_url, own.mobile, "yes") == [BOT_DEFAULT]
    assert fake_rasa.heard == ["can we do later", "yes"]
    assert appointment(database_url, session_id).confirmed_at is None


@pytest.mark.parametrize(("body", "intent"), [("R", "/reschedule_appointment"), ("x", "/cancel_appointment")])
def test_r_and_x_start_the_bots_flow(
    texter: Texter, database_url: str, fake_rasa: FakeRasa, body: str, intent: str
) -> None:
    own = create_client(database_url, JORDAN)
    job_id, session_id = reminded(database_url, own)
    assert say(texter, database_url, own.mobile, body) == [BOT_DEFAULT]
    assert fake_rasa.heard == [intent]
    assert job(database_url, job_id).replied_at is not None
    assert appointment(database_url, session_id).confirmed_at is None


def test_link_texts_the_video_link_of_the_reminded_session(
    texter: Texter, database_url: str, fake_twilio: FakeTwilio
) -> None:
    own = create_client(database_url, JORDAN)
    _, session_id = reminded(database_url, own)
    (reply,) = say(texter, database_url, own.mobile, "LINK")
    assert reply.startswith("Here's the video link for your session on ")
    url = appointment(database_url, session_id).telehealth_url
    assert url and any(url in request.form["Body"] for request in fake_twilio.sent_to(own.mobile))


def test_link_for_an_in_person_session_says_so(texter: Texter, database_url: str) -> None:
    own = create_client(database_url, CHRIS)
    reminded(database_url, own)
    (reply,) = say(texter, database_url, own.mobile, "link")
    assert "is in person" in reply and "no video link" in reply


def test_c_for_a_session_moved_since_tells_where_it_went(texter: Texter, database_url: str) -> None:
    own = create_client(database_url, JORDAN)
    _, session_id = reminded(database_url, own)
    new_id = move(database_url, session_id)
    (reply,) = say(texter, database_url, own.mobile, "C")
    assert reply.startswith("That session was moved to ")
    assert appointment(database_url, session_id).confirmed_at is None
    assert appointment(database_url, new_id).confirmed_at is None  # the client confirmed another time


def test_c_for_a_session_cancelled_since_offers_a_new_time(texter: Texter, database_url: str) -> None:
    own = create_client(database_url, CHRIS)
    _, session_id = reminded(database_url, own)
    with session_scope(database_url) as session:
        appointments.cancel(session, appointment_id=session_id, now=utcnow(), actor="rep:1")
    for body in ("C", "LINK"):
        assert say(texter, database_url, own.mobile, body) == [
            "That session was cancelled. Would you like to book a new time?"
        ]
    assert appointment(database_url, session_id).confirmed_at is None


def test_r_to_a_no_show_follow_up_means_a_new_booking(texter: Texter, database_url: str, fake_rasa: FakeRasa) -> None:
    own = create_client(database_url, CHRIS)
    send_outreach(database_url, own.id, None, kind=OutreachKind.NO_SHOW)
    say(texter, database_url, own.mobile, "r")
    say(texter, database_url, own.mobile, "C")  # no confirm keyword in a follow-up: the bot's
    assert fake_rasa.heard == ["/book_appointment", "C"]


def test_an_old_reminder_is_not_answered(texter: Texter, database_url: str, fake_rasa: FakeRasa) -> None:
    own = create_client(database_url, JORDAN)
    job_id, session_id = reminded(database_url, own, sent_ago=dt.timedelta(hours=49))
    assert say(texter, database_url, own.mobile, "C") == [BOT_DEFAULT]
    assert fake_rasa.heard == ["C"]
    assert appointment(database_url, session_id).confirmed_at is None
    assert job(database_url, job_id).replied_at is None


def test_stop_still_opts_out_first(texter: Texter, database_url: str, fake_rasa: FakeRasa) -> None:
    own = create_client(database_url, JORDAN)
    _, session_id = reminded(database_url, own)
    assert say(texter, database_url, own.mobile, "STOP") == []
    with session_scope(database_url) as session:
        assert session.scalars(select(SmsOptOut).where(SmsOptOut.phone_e164 == own.mobile)).first() is not None
    assert say(texter, database_url, own.mobile, "C") == []  # silenced: nothing more is texted
    assert appointment(database_url, session_id).confirmed_at is None
    assert fake_rasa.heard == []


def test_an_unknown_number_changes_nothing(texter: Texter, database_url: str, fake_rasa: FakeRasa) -> None:
    own = create_client(database_url, JORDAN)
    _, session_id = reminded(database_url, own)
    stranger = "+15555554321"
    assert say(texter, database_url, stranger, "C") == [BOT_DEFAULT]
    assert appointment(database_url, session_id).confirmed_at is None


def move(database_url: str, appointment_id: int) -> int:
    """Reschedule the session to its clinician's next open time (as a rep would); the new id."""
    now = utcnow()
    with session_scope(database_url) as session:
        old = session.get_one(Appointment, appointment_id)
        (start,) = appointments.find_open_slots(
            session, old.clinician_id, now, limit=1, modality=old.modality, exclude_appointment_id=old.id
        )
        result = appointments.reschedule(session, appointment_id=old.id, new_start=start, now=now, actor="rep:1")
        return result.new.id
