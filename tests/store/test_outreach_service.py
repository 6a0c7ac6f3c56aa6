"""assistant/services/outreach.py against a real store (SQLite and PostgreSQL), with explicit clocks:
re-planning one client, the text a reply answers, a rep's check-in through the hard limits, and
who is on the dropped-off worklist."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services import appointments
from assistant.services.outreach import (
    OutreachBlocked,
    dropped_off_clients,
    latest_outreach,
    plan_client,
    send_manual_checkin,
)
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Author,
    Client,
    Message,
    Modality,
    OutreachContact,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
    Rep,
)
from tests.support.clinic import Clinic

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 12, 3, 11, tzinfo=NY)  # a Thursday morning, outside quiet hours
START = dt.datetime(2026, 12, 10, 15, tzinfo=NY)
CHECKIN = "Test Practice: checking in - reply here any time to book. Reply STOP to opt out."


def add_session(
    session: Session,
    clinic: Clinic,
    client_id: int,
    starts_at: dt.datetime,
    status: AppointmentStatus = AppointmentStatus.BOOKED,
) -> Appointment:
    created = starts_at - dt.timedelta(days=14)
    appointment = Appointment(
        practice_id=clinic.practice_id,
        client_id=client_id,
        clinician_id=clinic.clinician_id,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=50),
        modality=Modality.IN_PERSON,
        status=status,
        status_changed_at=created if status is AppointmentStatus.BOOKED else starts_at + dt.timedelta(hours=1),
        created_at=created,
    )
    session.add(appointment)
    session.flush()
    return appointment


def sent_job(session: Session, client_id: int, at: dt.datetime, state: OutreachState = OutreachState.SENT) -> int:
    client = session.get_one(Client, client_id)
    job = OutreachJob(
        practice_id=client.practice_id,
        client_id=client_id,
        kind=OutreachKind.REMINDER,
        rule="reminder_48h",
        event_key=f"test:{uuid.uuid4().hex}",
        due_at=at,
        state=state,
        attempts=1,
        created_at=at - dt.timedelta(days=1),
        decided_at=at,
    )
    session.add(job)
    session.flush()
    return job.id


def a_rep(session: Session, clinic: Clinic) -> Rep:
    rep = Rep(
        practice_id=clinic.practice_id,
        email=f"rep-{uuid.uuid4().hex[:10]}@test.example",
        display_name="Robin",
        password_hash="not-a-real-hash",
    )
    session.add(rep)
    session.flush()
    return rep


def texts_to(session: Session, client: Client) -> list[Message]:
    from assistant.store.models import Conversation

    return list(
        session.scalars(
            select(Message).join(Conversation).where(Conversation.address == client.mobile_e164).order_by(Message.id)
        )
    )


# plan_client


def test_plan_client_after_a_move_keeps_the_sent_reminder_and_replans_the_rest(
    session: Session, clinic: Clinic
) -> None:
    client_id = clinic.client_ids[0]
    appointment = add_session(session, clinic, client_id, START)
    plan_client(session, client_id, now=START - dt.timedelta(days=3))
    first = {job.rule: job for job in session.scalars(select(OutreachJob).where(OutreachJob.client_id == client_id))}
    first["reminder_48h"].state = OutreachState.SENT  # it went out before the client moved the session
    first["reminder_48h"].decided_at = START - dt.timedelta(hours=48)
    moved_at = START - dt.timedelta(hours=30)
    moved = appointments.reschedule(
        session, appointment_id=appointment.id, new_start=START + dt.timedelta(days=1), now=moved_at, actor="test"
    )
    plan_client(session, client_id, now=moved_at)
    plan_client(session, client_id, now=moved_at)  # again: nothing changes
    session.expire_all()
    rows = session.scalars(select(OutreachJob).where(OutreachJob.client_id == client_id)).all()
    old = {(row.rule, row.state, row.reason) for row in rows if row.appointment_id == appointment.id}
    new = sorted((row.rule, row.state) for row in rows if row.appointment_id == moved.new.id)
    assert old == {
        ("reminder_48h", OutreachState.SENT, None),
        ("reminder_24h", OutreachState.CANCELLED, "rescheduled"),
    }
    assert new == [
        ("booking_confirmation", OutreachState.PLANNED),
        ("reminder_24h", OutreachState.PLANNED),
        ("reminder_48h", OutreachState.PLANNED),
    ]


def test_plan_client_cancels_planned_texts_once_the_client_is_discharged(session: Session, clinic: Clinic) -> None:
    client_id = clinic.client_ids[1]
    add_session(session, clinic, client_id, START)
    plan_client(session, client_id, now=NOW)
    session.get_one(Client, client_id).discharged_at = NOW
    plan_client(session, client_id, now=NOW)
    session.expire_all()
    states = {row.state for row in session.scalars(select(OutreachJob).where(OutreachJob.client_id == client_id))}
    assert states == {OutreachState.CANCELLED}


# latest_outreach


def test_latest_outreach_is_the_newest_sent_text_within_the_window_not_a_future_one(
    session: Session, clinic: Clinic
) -> None:
    client_id, other_id = clinic.client_ids[2], clinic.client_ids[3]
    sent_job(session, client_id, NOW - dt.timedelta(days=5))  # outside a 3-day window
    older = sent_job(session, client_id, NOW - dt.timedelta(days=2))
    newest = sent_job(session, client_id, NOW - dt.timedelta(hours=3))
    sent_job(session, client_id, NOW - dt.timedelta(hours=1), state=OutreachState.SKIPPED)  # never sent
    sent_job(session, client_id, NOW + dt.timedelta(hours=1))  # after `now`: not what a reply at `now` answers
    sent_job(session, other_id, NOW - dt.timedelta(minutes=5))  # someone else's
    window = dt.timedelta(days=3)
    found = latest_outreach(session, client_id, within=window, now=NOW)
    assert found is not None and found.id == newest
    earlier = latest_outreach(session, client_id, within=window, now=NOW - dt.timedelta(hours=4))
    assert earlier is not None and earlier.id == older
    assert latest_outreach(session, client_id, within=dt.timedelta(hours=2), now=NOW) is None


# send_manual_checkin


def test_a_checkin_within_the_limits_is_sent_logged_and_counted(session: Session, clinic: Clinic) -> None:
    client = session.get_one(Client, clinic.client_ids[4])
    rep = a_rep(session, clinic)
    job = send_manual_checkin(session, client, rep, CHECKIN, now=NOW)
    assert (job.kind, job.state, job.decided_at) == (OutreachKind.MANUAL_CHECKIN, OutreachState.SENT, NOW)
    [text] = texts_to(session, client)
    assert job.message_id == text.id and text.text == CHECKIN and text.author is Author.SYSTEM
    contact = session.scalars(select(OutreachContact).where(OutreachContact.client_id == client.id)).one()
    assert (contact.kind, contact.rep_id, contact.at) == ("checkin_texted", rep.id, NOW)
    # It counts towards the daily cap like any outreach text.
    with pytest.raises(OutreachBlocked) as blocked:
        send_manual_checkin(session, client, rep, CHECKIN, now=NOW + dt.timedelta(hours=2))
    assert blocked.value.reason == "daily_limit"
    assert len(texts_to(session, client)) == 1


def test_a_checkin_over_the_weekly_cap_is_refused(session: Session, clinic: Clinic) -> None:
    client = session.get_one(Client, clinic.client_ids[5])
    for days_ago in (1, 3, 5):
        sent_job(session, client.id, NOW - dt.timedelta(days=days_ago))
    with pytest.raises(OutreachBlocked) as blocked:
        send_manual_checkin(session, client, a_rep(session, clinic), CHECKIN, now=NOW)
    assert blocked.value.reason == "weekly_limit"
    assert texts_to(session, client) == []


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda client: setattr(client, "do_not_contact", True), "do_not_contact"),
        (lambda client: setattr(client, "sms_consent", False), "no_sms_consent"),
        (lambda client: setattr(client, "timezone", "America/Los_Angeles"), "quiet_hours"),  # 07:00 out west
    ],
    ids=["do_not_contact", "no_consent", "quiet_hours_in_the_clients_zone"],
)
def test_a_checkin_the_limits_forbid_raises_with_the_reason(
    session: Session, clinic: Clinic, setup: Callable[[Client], None], reason: str
) -> None:
    client = session.get_one(Client, clinic.client_ids[6])
    setup(client)
    session.flush()
    with pytest.raises(OutreachBlocked) as blocked:
        send_manual_checkin(session, client, a_rep(session, clinic), CHECKIN, now=NOW.replace(hour=10))
    assert blocked.value.reason == reason
    assert texts_to(session, client) == []
    assert session.scalars(select(OutreachJob).where(OutreachJob.client_id == client.id)).all() == []


# dropped_off_clients


def test_the_dropped_off_list_is_who_has_had_no_session_for_30_days_and_nothing_booked(
    session: Session, clinic: Clinic
) -> None:
    gone_long, gone, discharged, do_not_contact, booked, recent, never_seen, _ = clinic.client_ids
    long_ago, a_while_ago = NOW - dt.timedelta(days=60), NOW - dt.timedelta(days=40)
    add_session(session, clinic, gone_long, long_ago, AppointmentStatus.COMPLETED)
    add_session(session, clinic, gone, a_while_ago, AppointmentStatus.COMPLETED)
    for client_id in (discharged, do_not_contact, booked):
        add_session(session, clinic, client_id, a_while_ago.replace(hour=9), AppointmentStatus.COMPLETED)
    add_session(session, clinic, booked, START)
    add_session(session, clinic, recent, NOW - dt.timedelta(days=10), AppointmentStatus.COMPLETED)
    session.get_one(Client, discharged).discharged_at = NOW - dt.timedelta(days=20)
    session.get_one(Client, do_not_contact).do_not_contact = True
    reached = NOW - dt.timedelta(days=2)
    session.add(OutreachContact(practice_id=clinic.practice_id, client_id=gone, kind="reached_out", at=reached))
    session.flush()
    found = dropped_off_clients(session, session.get_one(Practice, clinic.practice_id), now=NOW)
    assert [(entry.client.id, entry.last_session.starts_at, entry.last_contact) for entry in found] == [
        (gone_long, long_ago, None),
        (gone, a_while_ago, reached),
    ]
    assert never_seen not in [entry.client.id for entry in found]
