"""A clinician's week as the pure slot search sees it, read from the store.

Weekly windows, dates off and booked sessions become a `slots.ClinicianCalendar`
(assistant/scheduling/slots.py), which decides what is open.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.scheduling import slots
from assistant.services.appointments.errors import AppointmentError
from assistant.store.models import Appointment, AppointmentStatus, AvailabilityException, Clinician, Practice


def load_practice(session: Session, practice_id: int) -> Practice:
    practice = session.get(Practice, practice_id)
    assert practice is not None  # enforced by the foreign key
    return practice


def clinician_and_practice(session: Session, clinician_id: int) -> tuple[Clinician, Practice]:
    clinician = session.get(Clinician, clinician_id)
    if clinician is None:
        raise AppointmentError(f"no clinician {clinician_id}")
    return clinician, load_practice(session, clinician.practice_id)


def clinician_calendar(
    session: Session,
    clinician: Clinician,
    practice: Practice,
    start: dt.datetime,
    until: dt.datetime,
    exclude_appointment_id: int | None,
) -> slots.ClinicianCalendar:
    zone = ZoneInfo(practice.timezone)
    first_day, last_day = start.astimezone(zone).date(), until.astimezone(zone).date()
    exceptions = session.scalars(
        select(AvailabilityException).where(
            AvailabilityException.clinician_id == clinician.id,
            AvailabilityException.on_date.between(first_day, last_day),
        )
    )
    busy = select(Appointment).where(
        Appointment.clinician_id == clinician.id,
        Appointment.status == AppointmentStatus.BOOKED,
        Appointment.starts_at < until,
        Appointment.ends_at > start,
    )
    if exclude_appointment_id is not None:
        busy = busy.where(Appointment.id != exclude_appointment_id)
    return slots.ClinicianCalendar(
        timezone=practice.timezone,
        windows=tuple(
            slots.WeeklyWindow(window.weekday, window.start_time, window.end_time, window.modality)
            for window in clinician.availability
        ),
        exceptions=tuple(
            slots.DateException(exception.on_date, exception.start_time, exception.end_time) for exception in exceptions
        ),
        busy=tuple(slots.BusyInterval(booked.starts_at, booked.ends_at) for booked in session.scalars(busy)),
    )
