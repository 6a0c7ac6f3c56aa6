"""One client's outreach as reps see it in the conversation sidebar: the controls (pause,
do not contact, discharged, session cadence, time zone), the history of outreach texts, and
marking a past session a no-show so the follow-up can follow.

Every change is audited and re-plans the client's outreach jobs at once (O1's planner), so a
paused or discharged client's planned texts are cancelled before the next scheduler tick.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.services import audit, outreach
from assistant.services.console import Conflict, ConsoleError, NotAllowed, actor
from assistant.services.console_views import iso
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Client,
    Message,
    MessageStatus,
    OutreachJob,
    Rep,
)
from assistant.store.statements import affected_rows

Cadence = Literal["weekly", "biweekly", "none"]
CADENCE_DAYS: dict[str, int | None] = {"weekly": 7, "biweekly": 14, "none": None}
HISTORY_LIMIT = 50
APPOINTMENTS_BACK = dt.timedelta(days=30)


class NotFound(ConsoleError):
    status_code = 404


@dataclass(frozen=True)
class OutreachControls:
    paused: bool
    paused_at: str | None
    do_not_contact: bool
    discharged: bool
    discharged_at: str | None
    cadence: str
    timezone: str | None


@dataclass(frozen=True)
class OutreachEntry:
    id: int
    kind: str
    rule: str
    state: str  # planned, sending, sent, skipped, cancelled
    reason: str | None
    due_at: str
    decided_at: str | None
    delivered: bool
    delivery_status: str | None  # the SMS's own status: queued, sent, delivered, undelivered, failed
    replied_at: str | None
    confirmed_at: str | None
    appointment_id: int | None
    session_starts_at: str | None


@dataclass(frozen=True)
class AppointmentEntry:
    id: int
    starts_at: str
    status: str
    modality: str
    confirmed_at: str | None
    can_mark_no_show: bool


@dataclass(frozen=True)
class ClientOutreach:
    client_id: int
    controls: OutreachControls
    history: list[OutreachEntry]
    appointments: list[AppointmentEntry]


def replan(session: Session, client_id: int, *, now: dt.datetime) -> None:
    """Re-plan the client's jobs now, so a change is honoured before the next scheduler tick."""
    outreach.plan_client(session, client_id, now=now)


def client_for(session: Session, rep: Rep, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound("client not found")
    if client.practice_id != rep.practice_id:
        raise NotAllowed("this client belongs to another practice")
    return client


def _cadence(days: int | None) -> str:
    return {7: "weekly", 14: "biweekly"}.get(days or 0, "none")


def controls_view(client: Client) -> OutreachControls:
    return OutreachControls(
        paused=client.outreach_paused_at is not None,
        paused_at=iso(client.outreach_paused_at),
        do_not_contact=client.do_not_contact,
        discharged=client.discharged_at is not None,
        discharged_at=iso(client.discharged_at),
        cadence=_cadence(client.session_cadence_days),
        timezone=client.timezone,
    )


def _entry(job: OutreachJob, message: Message | None) -> OutreachEntry:
    appointment = job.appointment
    return OutreachEntry(
        id=job.id,
        kind=job.kind.value,
        rule=job.rule,
        state=job.state.value,
        reason=job.reason,
        due_at=iso(job.due_at) or "",
        decided_at=iso(job.decided_at),
        delivered=message is not None and message.status is MessageStatus.DELIVERED,
        delivery_status=message.status.value if message is not None else None,
        replied_at=iso(job.replied_at),
        confirmed_at=iso(appointment.confirmed_at) if appointment is not None else None,
        appointment_id=job.appointment_id,
        session_starts_at=iso(appointment.starts_at) if appointment is not None else None,
    )


def _appointment_entry(appointment: Appointment, now: dt.datetime) -> AppointmentEntry:
    return AppointmentEntry(
        id=appointment.id,
        starts_at=iso(appointment.starts_at) or "",
        status=appointment.status.value,
        modality=appointment.modality.value,
        confirmed_at=iso(appointment.confirmed_at),
        can_mark_no_show=appointment.status is AppointmentStatus.BOOKED and appointment.starts_at <= now,
    )


def client_outreach(session: Session, rep: Rep, client: Client, *, now: dt.datetime) -> ClientOutreach:
    if client.practice_id != rep.practice_id:
        raise NotAllowed("this client belongs to another practice")
    jobs = list(
        session.scalars(
            select(OutreachJob)
            .where(OutreachJob.client_id == client.id)
            .order_by(OutreachJob.due_at.desc(), OutreachJob.id.desc())
            .limit(HISTORY_LIMIT)
        )
    )
    message_ids = [job.message_id for job in jobs if job.message_id is not None]
    messages = (
        {message.id: message for message in session.scalars(select(Message).where(Message.id.in_(message_ids)))}
        if message_ids
        else {}
    )
    appointments = session.scalars(
        select(Appointment)
        .where(Appointment.client_id == client.id, Appointment.starts_at >= now - APPOINTMENTS_BACK)
        .order_by(Appointment.starts_at)
    )
    return ClientOutreach(
        client_id=client.id,
        controls=controls_view(client),
        history=[_entry(job, messages.get(job.message_id) if job.message_id else None) for job in jobs],
        appointments=[_appointment_entry(appointment, now) for appointment in appointments],
    )


def update_controls(
    session: Session,
    rep: Rep,
    client: Client,
    changes: dict[str, Any],
    *,
    now: dt.datetime,
    request_id: str | None = None,
) -> OutreachControls:
    """Apply the rep's changes (keys: paused, do_not_contact, discharged, cadence, timezone)."""
    if client.practice_id != rep.practice_id:
        raise NotAllowed("this client belongs to another practice")
    before = controls_view(client)
    if "paused" in changes:
        if changes["paused"] and client.outreach_paused_at is None:
            client.outreach_paused_at = now
        elif not changes["paused"]:
            client.outreach_paused_at = None
    if "do_not_contact" in changes:
        client.do_not_contact = bool(changes["do_not_contact"])
    if "discharged" in changes:
        if changes["discharged"] and client.discharged_at is None:
            client.discharged_at = now
        elif not changes["discharged"]:
            client.discharged_at = None
    if "cadence" in changes:
        client.session_cadence_days = CADENCE_DAYS[changes["cadence"]]
    if "timezone" in changes:
        client.timezone = changes["timezone"]
    after = controls_view(client)
    changed = {
        name: getattr(after, name)
        for name in ("paused", "do_not_contact", "discharged", "cadence", "timezone")
        if getattr(after, name) != getattr(before, name)
    }
    if changed:
        audit.record(
            session,
            actor=actor(rep),
            action="client_outreach_updated",
            subject_type="client",
            subject_id=client.id,
            details=changed,
            request_id=request_id,
            at=now,
        )
        session.flush()
        replan(session, client.id, now=now)
    return after


def mark_no_show(
    session: Session, rep: Rep, appointment: Appointment, *, now: dt.datetime, request_id: str | None = None
) -> AppointmentEntry:
    """A booked session that has started and the client did not come: status no_show."""
    if appointment.practice_id != rep.practice_id:
        raise NotAllowed("this appointment belongs to another practice")
    if appointment.status is not AppointmentStatus.BOOKED:
        raise Conflict(f"only a booked session can be marked a no-show (this one is {appointment.status.value})")
    if appointment.starts_at > now:
        raise Conflict("this session has not started yet")
    # Conditional: of two reps (or the practice-management side) changing it at once, one wins.
    marked = affected_rows(
        session,
        update(Appointment)
        .where(Appointment.id == appointment.id, Appointment.status == AppointmentStatus.BOOKED)
        .values(status=AppointmentStatus.NO_SHOW, status_changed_at=now)
        .execution_options(synchronize_session=False),
    )
    if marked != 1:
        raise Conflict("this session was changed meanwhile; reload and try again")
    session.refresh(appointment)
    audit.record(
        session,
        actor=actor(rep),
        action="appointment_no_show_marked",
        subject_type="appointment",
        subject_id=appointment.id,
        details={"client_id": appointment.client_id},
        request_id=request_id,
        at=now,
    )
    session.flush()
    replan(session, appointment.client_id, now=now)
    return _appointment_entry(appointment, now)
