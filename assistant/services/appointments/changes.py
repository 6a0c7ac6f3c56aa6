"""Changing the book: book an open slot, move a session, cancel one (with the policy's fee).

The database's partial unique index (`SLOT_INDEX`) decides a race for one time:
the loser gets `SlotUnavailable`, and a move whose new time is taken changes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.scheduling import slots
from assistant.scheduling.policy import PolicyQuote, quote_change
from assistant.services import audit
from assistant.services.appointments.calendar import clinician_and_practice, clinician_calendar, load_practice
from assistant.services.appointments.errors import (
    AlreadyAtThatTime,
    AppointmentError,
    AppointmentNotFound,
    NotChangeable,
    SlotUnavailable,
)
from assistant.store.models import Appointment, AppointmentStatus, Client, Modality, Practice

SLOT_INDEX = "uq_appointment_clinician_slot_booked"


@dataclass(frozen=True)
class RescheduleResult:
    old: Appointment
    new: Appointment
    quote: PolicyQuote  # the policy as it applied to moving the old session


@dataclass(frozen=True)
class CancelResult:
    appointment: Appointment
    quote: PolicyQuote


def new_telehealth_url() -> str:
    """A per-session video link that cannot be guessed from another one."""
    meeting = str(secrets.randbelow(9 * 10**10) + 10**10)  # 11 digits, no leading zero
    return f"https://zoom.us/j/{meeting}?pwd={secrets.token_urlsafe(16)}"


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
    clinician, practice = clinician_and_practice(session, clinician_id)
    if client is None or client.practice_id != practice.id:
        raise AppointmentError(f"client {client_id} is not a client of this practice")
    length = dt.timedelta(minutes=practice.session_minutes)
    calendar = clinician_calendar(session, clinician, practice, starts_at, starts_at + length, None)
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
    practice = load_practice(session, old.practice_id)
    quote = _quote(old, now, practice)
    if new_start == old.starts_at:
        raise AlreadyAtThatTime("that is the session's current time")
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
    quote = _quote(appointment, now, load_practice(session, appointment.practice_id))
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
