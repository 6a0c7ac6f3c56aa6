"""Acting on one leased outreach job: re-check its event, apply the limits, then send, wait or skip.

Everything is checked again at send time, inside the transaction that queues the text: the
rules (the session may have moved since planning), consent, flags, quiet hours and the caps.
The text goes to the outbox (conversation/outbound.send_sms) in the same transaction that
marks the job sent, and that mark is conditional on still holding the lease: a job is sent
once, whichever process wins.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_sms
from assistant.outreach import limits, planner, rules, templates
from assistant.outreach.settings import OutreachSettings, settings_for
from assistant.store.models import (
    Appointment,
    Author,
    Client,
    Modality,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
    SmsOptOut,
)
from assistant.store.statements import affected_rows
from assistant.wording import catalog, formats

MODALITY_WORDS = {Modality.TELEHEALTH: "video", Modality.IN_PERSON: "in person"}


class LeaseLost(RuntimeError):
    """Another process took this job over: nothing this process did may be kept."""


def contact_for(session: Session, client: Client, practice: Practice) -> limits.Contact:
    opted_out = client.sms_opted_out_at is not None or (
        client.mobile_e164 is not None and session.get(SmsOptOut, (practice.id, client.mobile_e164)) is not None
    )
    return limits.Contact(
        sms_consent=client.sms_consent,
        mobile=client.mobile_e164,
        opted_out=opted_out,
        do_not_contact=client.do_not_contact,
        paused=client.outreach_paused_at is not None,
        discharged=client.discharged_at is not None,
        timezone=client.timezone or practice.timezone,
    )


def sent_times(session: Session, client_id: int) -> list[dt.datetime]:
    """When this client's outreach texts went out (only outreach counts towards the caps)."""
    return [
        moment
        for moment in session.scalars(
            select(OutreachJob.decided_at).where(
                OutreachJob.client_id == client_id, OutreachJob.state == OutreachState.SENT
            )
        )
        if moment is not None
    ]


def session_values(practice: Practice, appointment: Appointment) -> dict[str, str]:
    """The template variables a session fills in (its time in the practice's zone, saying so:
    "Tue Dec 1, 10:00 AM ET"; how it is held)."""
    return {
        "session_time": formats.day_time_and_zone(appointment.starts_at, ZoneInfo(practice.timezone)),
        "modality": MODALITY_WORDS[appointment.modality],
    }


def render_text(
    practice: Practice, client: Client, kind: OutreachKind, appointment: Appointment | None, settings: OutreachSettings
) -> str:
    values = {
        "client_first_name": client.first_name,
        "practice_name": practice.name,
        **(session_values(practice, appointment) if appointment is not None else {"session_time": "", "modality": ""}),
    }
    text = templates.render(settings.template_for(kind), **values)
    if appointment is not None and appointment.modality is Modality.TELEHEALTH and kind is OutreachKind.REMINDER:
        # The rule: a video reminder always says how to get the link (never the link
        # itself), even when that costs a second segment.
        hint = catalog.text(templates.VIDEO_LINK_HINT_KEY)
        text = templates.with_video_link_hint(text, hint, max_segments=max(2, templates.segments(text)))
    return text


def _finish(session: Session, job: OutreachJob, owner: str, **values: object) -> None:
    done = affected_rows(
        session,
        update(OutreachJob)
        .where(OutreachJob.id == job.id, OutreachJob.state == OutreachState.SENDING, OutreachJob.leased_by == owner)
        .values(lease_until=None, leased_by=None, **values)
        .execution_options(synchronize_session=False),
    )
    if done != 1:
        raise LeaseLost(f"outreach job {job.id}")
    session.expire(job)


def decide_job(
    session: Session, job: OutreachJob, client: Client, practice: Practice, settings: OutreachSettings, now: dt.datetime
) -> tuple[limits.Decision, str | None]:
    """The limits' decision for this job now, and (for a rule's job whose event is gone) the reason."""
    stale_at: dt.datetime | None = None
    if job.kind is not OutreachKind.MANUAL_CHECKIN:
        desired = {planned.event_key: planned for planned in planner.desired_jobs(session, client, settings, now)}
        planned = desired.get(job.event_key)
        if planned is None:
            fact = planner.session_fact(job.appointment) if job.appointment is not None else None
            return limits.Skip("gone"), rules.why_gone(job.rule, fact, settings)
        stale_at = planned.stale_at
    contact = contact_for(session, client, practice)
    return limits.decide(contact, sent_at=sent_times(session, client.id), now=now, stale_at=stale_at), None


def process(session: Session, job_id: int, *, owner: str, now: dt.datetime) -> str:
    """Act on a job this owner has leased; returns what happened ("sent", "wait", a reason)."""
    job = session.get_one(OutreachJob, job_id)
    client = session.get_one(Client, job.client_id)
    practice = session.get_one(Practice, job.practice_id)
    settings = settings_for(practice)
    decision, gone_reason = decide_job(session, job, client, practice, settings, now)
    if gone_reason is not None:
        _finish(session, job, owner, state=OutreachState.CANCELLED, reason=gone_reason, decided_at=now)
        return gone_reason
    if isinstance(decision, limits.Wait):
        _finish(session, job, owner, state=OutreachState.PLANNED, due_at=decision.until)
        return "wait"
    if isinstance(decision, limits.Skip):
        state = OutreachState.CANCELLED if decision.reason == "stale" else OutreachState.SKIPPED
        _finish(session, job, owner, state=state, reason=decision.reason, decided_at=now)
        return decision.reason
    assert client.mobile_e164 is not None  # limits.decide sends only with a mobile on file
    text = render_text(practice, client, job.kind, job.appointment, settings)
    message = send_sms(session, practice.id, client.mobile_e164, text, author=Author.SYSTEM)
    _finish(session, job, owner, state=OutreachState.SENT, message_id=message.id, decided_at=now)
    return "sent"
