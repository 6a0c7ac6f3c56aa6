"""Keeping one client's outreach jobs in step with the rules: store rows in, job rows out.

New events become `planned` jobs (one per `event_key`, ever); planned jobs whose event no
longer holds are cancelled with the reason (`rescheduled`, `rebooked`, `stale`, `rule_off`).
Jobs already sent, skipped, cancelled or being sent (leased) are never touched, nor a rep's
manual check-in.  Safe when two processes plan the same client at once: the insert of an
existing key is rolled back to a savepoint, and cancelling is a conditional UPDATE.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.outreach import rules
from assistant.outreach.settings import OutreachSettings, settings_for
from assistant.store.models import Appointment, Client, OutreachJob, OutreachKind, OutreachState, Practice
from assistant.store.statements import affected_rows


def session_fact(appointment: Appointment) -> rules.SessionFact:
    return rules.SessionFact(
        id=appointment.id,
        status=appointment.status.value,
        starts_at=appointment.starts_at,
        modality=appointment.modality.value,
        created_at=appointment.created_at,
        status_changed_at=appointment.status_changed_at,
    )


def client_facts(session: Session, client: Client) -> rules.ClientFacts:
    appointments = session.scalars(select(Appointment).where(Appointment.client_id == client.id)).all()
    return rules.ClientFacts(
        client_id=client.id,
        sessions=tuple(session_fact(appointment) for appointment in appointments),
        cadence_days=client.session_cadence_days,
        discharged=client.discharged_at is not None,
        do_not_contact=client.do_not_contact,
    )


def desired_jobs(
    session: Session, client: Client, settings: OutreachSettings, now: dt.datetime
) -> list[rules.PlannedJob]:
    return rules.jobs_for(client_facts(session, client), settings, now)


def cancel_planned(session: Session, job_id: int, reason: str, now: dt.datetime) -> bool:
    """Cancel a job only if it is still merely planned (another process may be sending it)."""
    done = affected_rows(
        session,
        update(OutreachJob)
        .where(OutreachJob.id == job_id, OutreachJob.state == OutreachState.PLANNED)
        .values(state=OutreachState.CANCELLED, reason=reason, decided_at=now)
        .execution_options(synchronize_session=False),
    )
    return done == 1


def _insert(session: Session, client: Client, job: rules.PlannedJob, now: dt.datetime) -> None:
    row = OutreachJob(
        practice_id=client.practice_id,
        client_id=client.id,
        appointment_id=job.appointment_id,
        kind=OutreachKind(job.kind),
        rule=job.rule,
        event_key=job.event_key,
        due_at=job.due_at,
        state=OutreachState.PLANNED,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        pass  # another process planned this event a moment ago: one job per event


def plan(session: Session, client: Client, *, now: dt.datetime, settings: OutreachSettings | None = None) -> None:
    """Bring the client's planned jobs in line with the rules at `now`."""
    if settings is None:
        settings = settings_for(session.get_one(Practice, client.practice_id))
    desired = {job.event_key: job for job in desired_jobs(session, client, settings, now)}
    existing = {
        job.event_key: job for job in session.scalars(select(OutreachJob).where(OutreachJob.client_id == client.id))
    }
    for key, job in desired.items():
        row = existing.get(key)
        if row is None:
            if now < job.stale_at:  # after downtime: what is already too late is never created
                _insert(session, client, job, now)
        elif row.state is OutreachState.PLANNED and now >= job.stale_at:
            cancel_planned(session, row.id, "stale", now)
            session.expire(row)  # the conditional UPDATE bypassed the identity map
    for key, row in existing.items():
        if key in desired or row.state is not OutreachState.PLANNED or row.kind is OutreachKind.MANUAL_CHECKIN:
            continue
        appointment = session.get(Appointment, row.appointment_id) if row.appointment_id else None
        fact = session_fact(appointment) if appointment is not None else None
        cancel_planned(session, row.id, rules.why_gone(row.rule, fact, settings), now)
        session.expire(row)


def plan_practice(session: Session, practice: Practice, *, now: dt.datetime) -> None:
    """Plan every client of the practice (the scheduler does this every minute, so changes
    made on the practice-management side are caught too)."""
    settings = settings_for(practice)
    clients = session.scalars(select(Client).where(Client.practice_id == practice.id).order_by(Client.id)).all()
    for client in clients:
        plan(session, client, now=now, settings=settings)
