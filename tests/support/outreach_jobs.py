"""Outreach texts as the scheduler's sender leaves them: a job marked sent, with its SMS
queued in the outbox of the client's conversation; and the store reads reply tests check."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select

from assistant.conversation.outbound import send_sms
from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Author,
    Client,
    OutreachJob,
    OutreachKind,
    OutreachState,
    utcnow,
)

TEXTS = {
    OutreachKind.REMINDER: (
        "Lakeside Counseling: reminder of your session soon. "
        "Reply C to confirm, R to reschedule, X to cancel. Reply STOP to opt out."
    ),
    OutreachKind.NO_SHOW: (
        "Hi, it's Lakeside Counseling. We missed you today - want to find a new time? "
        "Just reply here. Reply STOP to opt out."
    ),
}


def next_session(database_url: str, client_id: int) -> Appointment:
    with session_scope(database_url) as session:
        appointment = session.scalars(
            select(Appointment)
            .where(Appointment.client_id == client_id, Appointment.status == AppointmentStatus.BOOKED)
            .order_by(Appointment.starts_at)
        ).first()
        assert appointment is not None
        session.expunge(appointment)
        return appointment


def send_outreach(
    database_url: str,
    client_id: int,
    appointment_id: int | None,
    *,
    kind: OutreachKind = OutreachKind.REMINDER,
    sent_ago: dt.timedelta = dt.timedelta(minutes=5),
    now: dt.datetime | None = None,
) -> int:
    """A job `sent_ago` before `now`, its text in the outbox; returns the job's id."""
    sent_at = (now or utcnow()) - sent_ago
    with session_scope(database_url) as session:
        client = session.get(Client, client_id)
        assert client is not None and client.mobile_e164
        message = send_sms(
            session, client.practice_id, client.mobile_e164, TEXTS.get(kind, TEXTS[OutreachKind.REMINDER])
        )
        job = OutreachJob(
            practice_id=client.practice_id,
            client_id=client.id,
            appointment_id=appointment_id,
            kind=kind,
            rule=f"test_{kind.value}",
            event_key=f"test:{kind.value}:{client.id}:{secrets.token_hex(6)}",
            due_at=sent_at,
            state=OutreachState.SENT,
            attempts=1,
            message_id=message.id,
            created_at=sent_at,
            decided_at=sent_at,
        )
        assert message.author is Author.SYSTEM
        session.add(job)
        session.flush()
        return job.id


def job(database_url: str, job_id: int) -> OutreachJob:
    with session_scope(database_url) as session:
        found = session.get_one(OutreachJob, job_id)
        session.expunge(found)
        return found


def appointment(database_url: str, appointment_id: int) -> Appointment:
    with session_scope(database_url) as session:
        found = session.get_one(Appointment, appointment_id)
        session.expunge(found)
        return found
