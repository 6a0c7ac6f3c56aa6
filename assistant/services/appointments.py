"""Appointment operations the dialogue actions call: find, book, reschedule, cancel.

Each takes the caller's `Session`; the caller owns the transaction and commits.
Savepoints keep a failed change from leaving anything half-done.  Who gets a
contested slot is settled by the database's partial unique index
(`uq_appointment_clinician_slot_booked`), not by the read-then-write check here,
so of two clients racing for one time exactly one is booked.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.scheduling import slots
from assistant.scheduling.policy import PolicyQuote, quote_change
from assistant.scheduling.preferences import SlotPreference
from assistant.services import audit
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    AvailabilityException,
    Client,
    Clinician,
    Modality,
    Practice,
)
from assistant.wording import formats

DEFAULT_HORIZON_DAYS = 28
SLOT_INDEX = "uq_appointment_clinician_slot_booked"


class AppointmentError(Exception):
    """Base for every reason an appointment operation is refused."""


class SlotUnavailable(AppointmentError):
    """The time is not (or no longer) open for this clinician."""


class AppointmentNotFound(AppointmentError):
    pass


class NotChangeable(AppointmentError):
    """The session is no longer booked, or has already started."""


@dataclass(frozen=True)
class RescheduleResult:
    old: Appointment
    new: Appointment
    quote: PolicyQuote  # the policy as it applied to moving the old session


@dataclass(frozen=True)
class CancelResult:
    appointment: Appointment
    quote: PolicyQuote


@dataclass(frozen=True)
class BookingDefaults:
    """Who a client's new session is with and how it is held, unless they say otherwise."""

    clinician_id: int | None  # None: no clinician on file and no session so far
    modality: Modality


def format_slot(starts_at: dt.datetime, tz: ZoneInfo | str) -> str:
    """ "Fri Nov 27, 3:00 PM" in practice time: the one way times are shown to people."""
    return formats.day_and_time(starts_at, ZoneInfo(tz) if isinstance(tz, str) else tz)


def new_telehealth_url() -> str:
    """A per-session video link that cannot be guessed from another one."""
    meeting = str(secrets.randbelow(9 * 10**10) + 10**10)  # 11 digits, no leading zero
    return f"https://zoom.us/j/{meeting}?pwd={secrets.token_urlsafe(16)}"


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
    clinician, practice = _clinician_and_practice(session, clinician_id)
    if not clinician.active:
        return []
    until = now + dt.timedelta(days=horizon_days)
    calendar = _calendar(session, clinician, practice, now, until, exclude_appointment_id)
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


def book(
    session: Session,
    *,
    client_id: int,
    clinician_id: int,
    starts_at: dt.datetime,
    modality: Modality,
    now: dt.datetime,
    replaces_id: int | None = None,
    actor: str | None = None,
    request_id: str | None = None,
) -> Appointment:
    """Book an open slot, or raise `SlotUnavailable` (also when another client won the race)."""
    slots.require_aware("starts_at", starts_at)
    slots.require_aware("now", now)
    starts_at, modality = starts_at.astimezone(dt.UTC), Modality(modality)
    client = session.get(Client, client_id)
    clinician, practice = _clinician_and_practice(session, clinician_id)
    if client is None or client.practice_id != practice.id:
        raise AppointmentError(f"client {client_id} is not a client of this practice")
    length = dt.timedelta(minutes=practice.session_minutes)
    calendar = _calendar(session, clinician, practice, starts_at, starts_at + length, None)
    if not clinician.active or not slots.is_open_slot(
        calendar, starts_at, session_minutes=practice.session_minutes, now=now, modality=modality
    ):
        raise SlotUnavailable(f"{starts_at.isoformat()} is not open for clinician {clinician_id}")
    appointment = Appointment(
        practice_id=practice.id,
        client_id=client.id,
        clinician_id=clinician.id,
        starts_at=starts_at,
        ends_at=starts_at + length,
        modality=modality,
        location=clinician.office if modality is Modality.IN_PERSON else None,
        telehealth_url=new_telehealth_url() if modality is Modality.TELEHEALTH else None,
        status=AppointmentStatus.BOOKED,
        replaces_id=replaces_id,
        status_changed_at=now,
        created_at=now,
    )
    _insert_or_slot_taken(session, appointment)
    audit.record(
        session,
        actor=actor or f"client:{client.id}",
        action="appointment_booked",
        subject_type="appointment",
        subject_id=appointment.id,
        request_id=request_id,
        at=now,
        details={
            "starts_at": starts_at.isoformat(),
            "modality": modality.value,
            "clinician_id": clinician.id,
            "replaces_id": replaces_id,
        },
    )
    return appointment


def reschedule(
    session: Session,
    *,
    appointment_id: int,
    new_start: dt.datetime,
    now: dt.datetime,
    actor: str,
    request_id: str | None = None,
) -> RescheduleResult:
    """Move a booked session; if the new time is taken, nothing changes at all."""
    slots.require_aware("new_start", new_start)
    old = _load_for_change(session, appointment_id, now)
    practice = _practice(session, old.practice_id)
    quote = _quote(old, now, practice)
    if new_start == old.starts_at:
        raise SlotUnavailable("that is the session's current time")
    with session.begin_nested():
        old.status = AppointmentStatus.RESCHEDULED
        old.status_changed_at = now
        session.flush()  # frees the old time before the new one is checked and inserted
        new = book(
            session,
            client_id=old.client_id,
            clinician_id=old.clinician_id,
            starts_at=new_start,
            modality=old.modality,
            now=now,
            replaces_id=old.id,
            actor=actor,
            request_id=request_id,
        )
        audit.record(
            session,
            actor=actor,
            action="appointment_rescheduled",
            subject_type="appointment",
            subject_id=old.id,
            request_id=request_id,
            at=now,
            details={
                "from": old.starts_at.isoformat(),
                "to": new.starts_at.isoformat(),
                "new_id": new.id,
                "inside_window": quote.inside_window,
                "hours_notice": round(quote.hours_notice, 2),
            },
        )
    return RescheduleResult(old=old, new=new, quote=quote)


def cancel(
    session: Session,
    *,
    appointment_id: int,
    now: dt.datetime,
    actor: str,
    request_id: str | None = None,
) -> CancelResult:
    """Cancel a booked session; inside the policy window it becomes late-cancelled with the fee."""
    appointment = _load_for_change(session, appointment_id, now)
    quote = _quote(appointment, now, _practice(session, appointment.practice_id))
    if quote.inside_window:
        appointment.status = AppointmentStatus.LATE_CANCELLED
        appointment.fee_cents = quote.fee_cents
    else:
        appointment.status = AppointmentStatus.CANCELLED
    appointment.status_changed_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="appointment_cancelled",
        subject_type="appointment",
        subject_id=appointment.id,
        request_id=request_id,
        at=now,
        details={
            "status": appointment.status.value,
            "fee_cents": appointment.fee_cents,
            "hours_notice": round(quote.hours_notice, 2),
        },
    )
    return CancelResult(appointment=appointment, quote=quote)


def _quote(appointment: Appointment, now: dt.datetime, practice: Practice) -> PolicyQuote:
    return quote_change(appointment.starts_at, now, practice.cancellation_window_hours, practice.late_cancel_fee_cents)


def _practice(session: Session, practice_id: int) -> Practice:
    practice = session.get(Practice, practice_id)
    assert practice is not None  # enforced by the foreign key
    return practice


def _clinician_and_practice(session: Session, clinician_id: int) -> tuple[Clinician, Practice]:
    clinician = session.get(Clinician, clinician_id)
    if clinician is None:
        raise AppointmentError(f"no clinician {clinician_id}")
    return clinician, _practice(session, clinician.practice_id)


def _load_for_change(session: Session, appointment_id: int, now: dt.datetime) -> Appointment:
    slots.require_aware("now", now)
    # FOR UPDATE (PostgreSQL) makes two simultaneous changes to one session take turns.
    appointment = session.scalars(
        select(Appointment)
        .where(Appointment.id == appointment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if appointment is None:
        raise AppointmentNotFound(f"no appointment {appointment_id}")
    if appointment.status is not AppointmentStatus.BOOKED:
        raise NotChangeable(f"appointment {appointment_id} is {appointment.status.value}")
    if appointment.starts_at <= now:
        raise NotChangeable(f"appointment {appointment_id} has already started")
    return appointment


def _calendar(
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


def _insert_or_slot_taken(session: Session, appointment: Appointment) -> None:
    try:
        with session.begin_nested():
            session.add(appointment)
            session.flush()
    except IntegrityError as error:
        if not _is_slot_conflict(error):
            raise
        raise SlotUnavailable("another booking took this time first") from error


def _is_slot_conflict(error: IntegrityError) -> bool:
    message = str(error.orig)
    # PostgreSQL names the index; SQLite names the indexed columns.
    return SLOT_INDEX in message or "appointments.clinician_id, appointments.starts_at" in message
