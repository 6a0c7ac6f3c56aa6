"""What a client's text is an answer to: the outreach text sent to them in the last 48 hours,
the session it was about, and where that session stands now (still booked, moved, cancelled).

Both the SMS channel (the C / R / X / LINK keywords, assistant/outreach/replies.py) and the
dialogue actions (natural replies: "yes see you then", "can we do later") read it here, so a
reply about a session that was meanwhile moved or cancelled gets the same honest answer.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services.outreach import latest_outreach
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    OutreachJob,
    OutreachKind,
)

REPLY_WINDOW = dt.timedelta(hours=48)
# Texts that said "Reply C to confirm, R to reschedule, X to cancel".
ABOUT_A_BOOKED_SESSION = frozenset({OutreachKind.REMINDER, OutreachKind.BOOKING_CONFIRMATION})
_CANCELLED = (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED)


class Standing(str, enum.Enum):
    """Where the session an outreach text was about stands now."""

    BOOKED = "booked"  # as the text said
    MOVED = "moved"  # rescheduled since: `current` is the session it became
    CANCELLED = "cancelled"
    PAST = "past"  # started, completed, missed: too late to confirm or change


@dataclass(frozen=True)
class ReplyContext:
    job: OutreachJob
    sent_at: dt.datetime
    appointment: Appointment | None  # the session the text was about, if any
    current: Appointment | None  # the booked, future session it is now (itself or where it moved)
    standing: Standing | None  # None: the text was about no session (a check-in)

    @property
    def about_a_booked_session(self) -> bool:
        """A reminder or booking confirmation (C / R / X / LINK apply), not a follow-up."""
        return self.job.kind in ABOUT_A_BOOKED_SESSION


def reply_context(session: Session, client_id: int, *, now: dt.datetime) -> ReplyContext | None:
    """What a text from this client now answers, or None (no outreach text lately)."""
    job = latest_outreach(session, client_id, within=REPLY_WINDOW, now=now)
    if job is None:
        return None
    sent_at = job.decided_at or job.created_at
    appointment = job.appointment
    if appointment is None:
        return ReplyContext(job, sent_at, None, None, None)
    latest = _where_it_went(session, appointment)
    standing = _standing(appointment, latest, now)
    current = latest if standing in (Standing.BOOKED, Standing.MOVED) else None
    return ReplyContext(job, sent_at, appointment, current, standing)


def mark_replied(job: OutreachJob, *, now: dt.datetime) -> bool:
    """Record that the client answered this text; True if this is their first answer."""
    if job.replied_at is not None:
        return False
    job.replied_at = now
    return True


def _where_it_went(session: Session, appointment: Appointment) -> Appointment:
    """Follow a rescheduled session to the session that replaced it (and so on)."""
    latest, seen = appointment, {appointment.id}
    while latest.status is AppointmentStatus.RESCHEDULED:
        successor = session.scalars(
            select(Appointment).where(Appointment.replaces_id == latest.id).order_by(Appointment.id.desc()).limit(1)
        ).first()
        if successor is None or successor.id in seen:
            break
        latest = successor
        seen.add(successor.id)
    return latest


def _standing(original: Appointment, latest: Appointment, now: dt.datetime) -> Standing:
    if latest.status is AppointmentStatus.BOOKED:
        if latest.starts_at <= now:
            return Standing.PAST
        return Standing.BOOKED if latest.id == original.id else Standing.MOVED
    if latest.status in _CANCELLED:
        return Standing.CANCELLED
    return Standing.PAST  # completed, no-show, or moved to nowhere we know of
