"""The outreach planner and scheduler against a real store (SQLite and PostgreSQL), with explicit clocks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.outreach.scheduler import run_once
from assistant.services import appointments
from assistant.services.outreach import plan_client
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Client,
    Message,
    Modality,
    OutreachJob,
    OutreachState,
    SmsOptOut,
)
from tests.support.clinic import Clinic
from tests.support.race import race

NY = ZoneInfo("America/New_York")
BOOKED_AT = dt.datetime(2026, 11, 20, 10, tzinfo=NY)
START = dt.datetime(2026, 12, 3, 15, tzinfo=NY)  # a Thursday, inside the clinic's hours


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def add_session(
    session: Session,
    clinic: Clinic,
    client_id: int,
    starts_at: dt.datetime = START,
    status: AppointmentStatus = AppointmentStatus.BOOKED,
    created_at: dt.datetime = BOOKED_AT,
) -> int:
    appointment = Appointment(
        practice_id=clinic.practice_id,
        client_id=client_id,
        clinician_id=clinic.clinician_id,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=50),
        modality=Modality.TELEHEALTH,
        status=status,
        status_changed_at=created_at,
        created_at=created_at,
    )
    session.add(appointment)
    session.commit()
    return appointment.id


def jobs(session: Session, client_id: int) -> dict[str, OutreachJob]:
    session.expire_all()
    rows = session.scalars(select(OutreachJob).where(OutreachJob.client_id == client_id)).all()
    session.commit()  # SQLite: a reading transaction holds the write lock the scheduler needs
    return {row.rule: row for row in rows}


def texts_to(session: Session, client_id: int) -> list[Message]:
    from assistant.store.models import Conversation

    mobile = session.get_one(Client, client_id).mobile_e164
    found = list(
        session.scalars(
            select(Message).join(Conversation).where(Conversation.address == mobile).order_by(Message.id)
        ).all()
    )
    session.commit()
    return found


def test_plan_creates_one_job_per_event_and_replanning_is_idempotent(session: Session, clinic: Clinic) -> None:
    client_id = clinic.client_ids[0]
    add_session(session, clinic, client_id)
    now = BOOKED_AT + dt.timedelta(days=1)  # the booking confirmation is already stale: never created
    plan_client(session, client_id, now=now)
    plan_client(session, client_id, now=now)
    session.commit()
    planned = jobs(session, client_id)
    assert sorted(planned) == ["reminder_24h", "reminder_48h"]
    assert all(job.state is OutreachState.PLANNED for job in planned.values())
    assert planned["reminder_48h"].due_at == START - dt.timedelta(hours=48)


def test_a_moved_session_cancels_its_reminders_and_plans_new_ones(session: Session, clinic: Clinic) -> None:
    client_id = clinic.client_ids[1]
    appointment_id = add_session(session, clinic, client_id)
    now = BOOKED_AT + dt.timedelta(days=2)
    plan_client(session, client_id, now=now)
    moved = appointments.reschedule(
        session, appointment_id=appointment_id, new_start=START + dt.timedelta(days=1), now=now, actor="test"
    )
    plan_client(session, client_id, now=now)
    session.commit()
    rows = session.scalars(select(OutreachJob).where(OutreachJob.client_id == client_id)).all()
    old = [row for row in rows if row.appointment_id == appointment_id]
    new = [row for row in rows if row.appointment_id == moved.new.id]
    assert {(row.rule, row.state, row.reason) for row in old} == {
        ("reminder_48h", OutreachState.CANCELLED, "rescheduled"),
        ("reminder_24h", OutreachState.CANCELLED, "rescheduled"),
    }
    assert {row.rule for row in new} == {"booking_confirmation", "reminder_48h", "reminder_24h"}
    assert all(row.state is OutreachState.PLANNED for row in new)


def test_run_once_sends_a_due_reminder_once_to_the_outbox(
    session: Session, clinic: Clinic, factory: sessionmaker[Session]
) -> None:
    client_id = clinic.client_ids[2]
    add_session(session, clinic, client_id)
    at_48h = START - dt.timedelta(hours=48)
    first = run_once(factory, at_48h)
    again = run_once(factory, at_48h + dt.timedelta(minutes=1))
    reminder = jobs(session, client_id)["reminder_48h"]
    assert reminder.state is OutreachState.SENT and first.sent == [reminder.id] and again.sent == []
    [text] = texts_to(session, client_id)
    assert reminder.message_id == text.id and text.author.value == "system"
    assert "Test Practice" in text.text and "Thu Dec 3, 3:00 PM ET" in text.text and "STOP" in text.text


def test_after_downtime_a_reminder_for_a_started_session_is_cancelled_not_sent(
    session: Session, clinic: Clinic, factory: sessionmaker[Session]
) -> None:
    client_id = clinic.client_ids[3]
    add_session(session, clinic, client_id)
    run_once(factory, BOOKED_AT + dt.timedelta(days=2))  # planned, nothing due yet
    run_once(factory, START + dt.timedelta(minutes=5))  # back after the session started
    states = {rule: (job.state, job.reason) for rule, job in jobs(session, client_id).items()}
    assert states["reminder_48h"] == (OutreachState.CANCELLED, "stale")
    assert states["reminder_24h"] == (OutreachState.CANCELLED, "stale")
    assert texts_to(session, client_id) == []


def test_quiet_hours_in_the_clients_zone_move_the_job_to_eight(
    session: Session, clinic: Clinic, factory: sessionmaker[Session]
) -> None:
    start = dt.datetime(2026, 12, 5, 10, tzinfo=NY)  # 07:00 out west: its 24 h reminder is due in quiet hours
    client_id = clinic.client_ids[4]
    add_session(session, clinic, client_id, starts_at=start)
    session.get_one(Client, client_id).timezone = "America/Los_Angeles"
    session.commit()
    run_once(factory, start - dt.timedelta(hours=24))  # 10:00 in New York, 07:00 for the client
    waiting = jobs(session, client_id)["reminder_24h"]
    assert waiting.state is OutreachState.PLANNED
    assert waiting.due_at == dt.datetime(2026, 12, 4, 8, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert texts_to(session, client_id) == []
    sent = run_once(factory, waiting.due_at)
    assert sent.sent == [waiting.id] and len(texts_to(session, client_id)) == 1


def test_blocked_clients_get_skipped_jobs_with_the_reason(
    session: Session, clinic: Clinic, factory: sessionmaker[Session]
) -> None:
    no_consent, opted_out, do_not_contact = clinic.client_ids[5:8]
    session.get_one(Client, no_consent).sms_consent = False
    session.get_one(Client, do_not_contact).do_not_contact = True
    mobile = session.get_one(Client, opted_out).mobile_e164
    assert mobile is not None
    session.add(SmsOptOut(practice_id=clinic.practice_id, phone_e164=mobile, source="keyword", keyword="STOP"))
    session.commit()
    for client_id, hour in ((no_consent, 10), (opted_out, 12), (do_not_contact, 14)):
        add_session(session, clinic, client_id, starts_at=START.replace(hour=hour))
    run_once(factory, START.replace(hour=16) - dt.timedelta(hours=48))
    reasons = {client_id: jobs(session, client_id)["reminder_48h"].reason for client_id in clinic.client_ids[5:8]}
    assert reasons == {no_consent: "no_sms_consent", opted_out: "opted_out", do_not_contact: "do_not_contact"}
    assert all(texts_to(session, client_id) == [] for client_id in clinic.client_ids[5:8])


def test_one_text_a_day_the_second_due_job_is_skipped(
    session: Session, clinic: Clinic, factory: sessionmaker[Session]
) -> None:
    client_id = clinic.client_ids[6]
    add_session(session, clinic, client_id, starts_at=START)
    add_session(session, clinic, client_id, starts_at=START.replace(hour=16))
    run_once(factory, START.replace(hour=16) - dt.timedelta(hours=48))
    rows = session.scalars(
        select(OutreachJob).where(OutreachJob.client_id == client_id, OutreachJob.rule == "reminder_48h")
    ).all()
    assert sorted((row.state.value, row.reason) for row in rows) == [("sent", None), ("skipped", "daily_limit")]
    assert len(texts_to(session, client_id)) == 1


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_two_schedulers_at_the_same_moment_send_one_job_once(
    engine: Engine, session: Session, clinic: Clinic, factory: sessionmaker[Session]
) -> None:
    client_id = clinic.client_ids[0]
    add_session(session, clinic, client_id)
    at_48h = START - dt.timedelta(hours=48)
    results = race(engine, 2, lambda _session, index: run_once(factory, at_48h, owner=f"scheduler-{index}"))
    assert not any(isinstance(result, Exception) for result in results), results
    sent = [job_id for result in results for job_id in result.sent]  # type: ignore[attr-defined]
    reminder = jobs(session, client_id)["reminder_48h"]
    assert sent == [reminder.id] and reminder.state is OutreachState.SENT
    assert len(texts_to(session, client_id)) == 1
