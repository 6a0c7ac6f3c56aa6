"""Finding times: open slots for a clinician, a client's next session and booking defaults,
and the one way a time is shown to people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.scheduling import slots
from assistant.scheduling.preferences import SlotPreference
from assistant.services.appointments.calendar import clinician_and_practice, clinician_calendar
from assistant.store.models import Appointment, AppointmentStatus, Client, Modality
from assistant.wording import formats

DEFAULT_HORIZON_DAYS = 28


@dataclass(frozen=True)
class BookingDefaults:
    """Who a client's new session is with and how it is held, unless they say otherwise."""

    clinician_id: int | None  # None: no clinician on file and no session so far
    modality: Modality


def format_slot(starts_at: dt.datetime, tz: ZoneInfo | str) -> str:
    """ "Fri Nov 27, 3:00 PM ET" in practice time, saying so: the one way a session's time
    is shown to people (each time carries its zone, so a button or a line read alone is clear)."""
    return formats.day_time_and_zone(starts_at, ZoneInfo(tz) if isinstance(tz, str) else tz)


def next_appointment(session: Session, client_id: int, now: dt.datetime) -> Appointment | None:
    slots.require_aware("now", now)
    return session.scalars(
        select(Appointment)
        .where(
            Appointment.client_id == client_id,
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.starts_at > now,
        )
        .order_by(Appointment.starts_at)
        .limit(1)
    ).first()


def booking_defaults(session: Session, client: Client) -> BookingDefaults:
    """Book with the client's own clinician, the way their latest session is held (video if none)."""
    latest = session.scalars(
        select(Appointment).where(Appointment.client_id == client.id).order_by(Appointment.starts_at.desc())
    ).first()
    clinician_id = client.primary_clinician_id or (latest.clinician_id if latest else None)
    return BookingDefaults(clinician_id, latest.modality if latest else Modality.TELEHEALTH)


def find_open_slots(
    session: Session,
    clinician_id: int,
    now: dt.datetime,
    *,
    limit: int = 3,
    preference: SlotPreference | None = None,
    modality: Modality | None = None,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    exclude_appointment_id: int | None = None,
) -> list[dt.datetime]:
    """Open starts (UTC) for this clinician in the next `horizon_days`, earliest first.

    `exclude_appointment_id` is the session being moved: it does not block
    anything, but its own time is never offered back.
    """
    slots.require_aware("now", now)
    clinician, practice = clinician_and_practice(session, clinician_id)
    if not clinician.active:
        return []
    until = now + dt.timedelta(days=horizon_days)
    calendar = clinician_calendar(session, clinician, practice, now, until, exclude_appointment_id)
    excluded = session.get(Appointment, exclude_appointment_id) if exclude_appointment_id else None
    spare = 1 if excluded is not None else 0
    found = slots.open_slots(
        calendar,
        session_minutes=practice.session_minutes,
        search_from=now,
        search_until=until,
        now=now,
        preference=preference,
        modality=modality,
        limit=limit + spare,
    )
    return [start for start in found if excluded is None or start != excluded.starts_at][:limit]
