"""The sessions the demo scripts rely on, kept upcoming: when they have passed (or were
cancelled), fresh ones are booked at a time the clinician has free."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services.appointments import new_telehealth_url
from assistant.store.models import Appointment, AppointmentStatus, Client, Clinician, Modality

BOOKED_AGO = dt.timedelta(days=7)


def ensure_upcoming(
    session: Session,
    client: Client,
    clinician: Clinician,
    modality: Modality,
    now: dt.datetime,
    preferred_start: dt.datetime,
    within: dt.timedelta | None = None,
) -> int:
    """Book one session unless the client already has a suitable upcoming one; 1 if booked."""
    upcoming = select(Appointment).where(
        Appointment.client_id == client.id,
        Appointment.clinician_id == clinician.id,
        Appointment.modality == modality,
        Appointment.status == AppointmentStatus.BOOKED,
        Appointment.starts_at > now,
    )
    if within is not None:
        upcoming = upcoming.where(Appointment.starts_at <= now + within)
    if session.scalars(upcoming).first() is not None:
        return 0
    practice = clinician.practice
    length = dt.timedelta(minutes=practice.session_minutes)
    start = _free_start(
        session, clinician, preferred_start, length, step=dt.timedelta(hours=1) if within else dt.timedelta(days=1)
    )
    session.add(
        Appointment(
            practice_id=practice.id,
            client_id=client.id,
            clinician_id=clinician.id,
            starts_at=start,
            ends_at=start + length,
            modality=modality,
            location=clinician.office if modality is Modality.IN_PERSON else None,
            telehealth_url=new_telehealth_url() if modality is Modality.TELEHEALTH else None,
            status=AppointmentStatus.BOOKED,
            # Booked a while ago, as a real client's session would be: its booking
            # confirmation is long past, so the first outreach text is the 48 h reminder.
            status_changed_at=now - BOOKED_AGO,
            created_at=now - BOOKED_AGO,
        )
    )
    session.flush()
    return 1


def ensure_past_session(
    session: Session, client: Client, clinician: Clinician, modality: Modality, start: dt.datetime
) -> int:
    """A completed session at `start` for a client who has none at all (the dropped-off
    worklist's demo client); 1 if added."""
    if session.scalars(select(Appointment.id).where(Appointment.client_id == client.id)).first() is not None:
        return 0
    _add_past(session, client, clinician, modality, start, AppointmentStatus.COMPLETED)
    return 1


def ensure_unmarked_past_session(
    session: Session, client: Client, clinician: Clinician, modality: Modality, start: dt.datetime
) -> int:
    """A session at `start` (in the past) still marked booked, as a practice-management
    system leaves one nobody has marked yet: a rep marks it attended or no-show in the
    console (the no-show follow-up story).  Added once per client; 1 if added."""
    earlier = session.scalars(
        select(Appointment.id).where(
            Appointment.client_id == client.id, Appointment.starts_at < start + dt.timedelta(days=1)
        )
    ).first()
    if earlier is not None:
        return 0
    _add_past(session, client, clinician, modality, start, AppointmentStatus.BOOKED)
    return 1


def _add_past(
    session: Session,
    client: Client,
    clinician: Clinician,
    modality: Modality,
    start: dt.datetime,
    status: AppointmentStatus,
) -> None:
    length = dt.timedelta(minutes=clinician.practice.session_minutes)
    session.add(
        Appointment(
            practice_id=clinician.practice_id,
            client_id=client.id,
            clinician_id=clinician.id,
            starts_at=start,
            ends_at=start + length,
            modality=modality,
            location=clinician.office if modality is Modality.IN_PERSON else None,
            status=status,
            status_changed_at=start + length if status is AppointmentStatus.COMPLETED else None,
            created_at=start - BOOKED_AGO,
        )
    )
    session.flush()


def _free_start(
    session: Session, clinician: Clinician, start: dt.datetime, length: dt.timedelta, step: dt.timedelta
) -> dt.datetime:
    # Demo sessions are existing bookings, so they need not sit inside availability;
    # they only must not collide with another booked session of the same clinician, and an
    # hour moved past a collision must still be one the office is open (never 4 AM).
    zone = ZoneInfo(clinician.practice.timezone)
    while not clinician_is_free(session, clinician, start, length) or (
        step < dt.timedelta(days=1) and not in_office_hours(start, zone)
    ):
        start += step
    return start


def clinician_is_free(session: Session, clinician: Clinician, start: dt.datetime, length: dt.timedelta) -> bool:
    """No booked session of the clinician overlaps `length` from `start` (availability aside)."""
    overlapping = select(Appointment.id).where(
        Appointment.clinician_id == clinician.id,
        Appointment.status == AppointmentStatus.BOOKED,
        Appointment.starts_at < start + length,
        Appointment.ends_at > start,
    )
    return session.scalars(overlapping).first() is None


def local_start(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    """`hour` o'clock on `day` in `zone`, as UTC."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


# Demo sessions start on the hour between 9 AM and 6 PM practice time: what a newcomer
# expects of an office, whatever time of day the demo is loaded.
FIRST_LOCAL_HOUR, LAST_LOCAL_HOUR = 9, 18


def in_office_hours(moment: dt.datetime, zone: ZoneInfo) -> bool:
    return FIRST_LOCAL_HOUR <= moment.astimezone(zone).hour <= LAST_LOCAL_HOUR


def business_hour_near(
    target: dt.datetime, zone: ZoneInfo, *, earliest: dt.datetime, before: dt.datetime
) -> dt.datetime:
    """The whole hour in office hours, at or after `earliest` and before `before`, closest to
    `target` (the later one on a tie); `earliest`'s next hour when the range has none."""
    start = next_hour(earliest)
    candidates = []
    moment = start
    while moment < before:
        if in_office_hours(moment, zone):
            candidates.append(moment)
        moment += dt.timedelta(hours=1)
    if not candidates:
        return start
    return min(candidates, key=lambda candidate: (abs(candidate - target), -candidate.timestamp()))


def next_hour(moment: dt.datetime) -> dt.datetime:
    """The first whole hour at or after `moment`, as UTC."""
    floor = moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + dt.timedelta(hours=1)
