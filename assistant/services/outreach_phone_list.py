"""Reminders the front desk gives by phone: a client without SMS consent (or opted out, or
with no mobile on file) gets nothing by text, so each reminder the rules skipped for that
reason is listed for a person to call, while its session is still booked and ahead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Client,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
)
from assistant.wording import formats

NOT_BY_TEXT = ("no_sms_consent", "opted_out", "no_mobile")  # the skip reasons a call can fix
AHEAD = dt.timedelta(days=7)


@dataclass(frozen=True)
class PhoneReminder:
    client_id: int
    name: str
    phone: str | None
    session_time: str  # in the practice's time zone, as the console shows it
    reason: str


def reminders_to_call(session: Session, practice: Practice, *, now: dt.datetime) -> list[PhoneReminder]:
    """One entry per client and upcoming session (the earliest skipped reminder), soonest first."""
    rows = session.execute(
        select(OutreachJob, Appointment, Client)
        .join(Appointment, Appointment.id == OutreachJob.appointment_id)
        .join(Client, Client.id == OutreachJob.client_id)
        .where(
            OutreachJob.practice_id == practice.id,
            OutreachJob.kind == OutreachKind.REMINDER,
            OutreachJob.state == OutreachState.SKIPPED,
            OutreachJob.reason.in_(NOT_BY_TEXT),
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.starts_at > now,
            Appointment.starts_at <= now + AHEAD,
        )
        .order_by(Appointment.starts_at, OutreachJob.id)
    ).all()
    zone, seen, entries = ZoneInfo(practice.timezone), set(), []
    for job, appointment, client in rows:
        if appointment.id in seen:
            continue
        seen.add(appointment.id)
        entries.append(
            PhoneReminder(
                client_id=client.id,
                name=client.full_name,
                phone=client.mobile_e164,
                session_time=formats.day_and_time(appointment.starts_at, zone),
                reason=job.reason or "",
            )
        )
    return entries
