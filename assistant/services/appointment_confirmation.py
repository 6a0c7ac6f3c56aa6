"""A client confirms a session they were reminded of: stored on the appointment (reps see
"confirmed" in the console) and in the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from assistant.services import audit
from assistant.store.models import Appointment, AppointmentStatus


class NotConfirmable(Exception):
    """Only a booked session that has not started can be confirmed."""


def confirm(
    session: Session,
    appointment: Appointment,
    *,
    now: dt.datetime,
    actor: str,
    outreach_job_id: int | None = None,
    request_id: str | None = None,
) -> bool:
    """Confirm the session; True if it was not confirmed before (a second "C" changes nothing)."""
    if appointment.status is not AppointmentStatus.BOOKED or appointment.starts_at <= now:
        raise NotConfirmable(f"appointment {appointment.id} is {appointment.status.value}")
    if appointment.confirmed_at is not None:
        return False
    appointment.confirmed_at = now
    audit.record(
        session,
        actor=actor,
        action="appointment_confirmed",
        subject_type="appointment",
        subject_id=appointment.id,
        request_id=request_id,
        at=now,
        details={"outreach_job_id": outreach_job_id},
    )
    return True
