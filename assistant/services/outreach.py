"""Outreach for the rest of the app: re-plan a client now, the latest text a reply answers,
a rep's one-click check-in (through the same hard limits), and the dropped-off worklist."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_sms
from assistant.outreach import limits, planner, rules
from assistant.outreach.sender import contact_for, sent_times
from assistant.outreach.settings import settings_for
from assistant.store.models import (
    Appointment,
    Author,
    Client,
    OutreachContact,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
    Rep,
)


class OutreachBlocked(Exception):
    """A hard limit says no text may go now; `reason` is its snake_case name."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DroppedOff:
    client: Client
    last_session: Appointment
    last_contact: dt.datetime | None  # a rep reached out, a check-in was texted, or outreach was sent


def plan_client(session: Session, client_id: int, *, now: dt.datetime) -> None:
    """Re-plan one client's jobs now (after a booking, move, cancel, no-show mark, completion,
    or a change to the client's outreach settings)."""
    planner.plan(session, session.get_one(Client, client_id), now=now)


def latest_outreach(session: Session, client_id: int, *, within: dt.timedelta, now: dt.datetime) -> OutreachJob | None:
    """The newest outreach text sent to the client within `within` (what a reply answers)."""
    return session.scalars(
        select(OutreachJob)
        .where(
            OutreachJob.client_id == client_id,
            OutreachJob.state == OutreachState.SENT,
            OutreachJob.decided_at >= now - within,
            OutreachJob.decided_at <= now,
        )
        .order_by(OutreachJob.decided_at.desc(), OutreachJob.id.desc())
    ).first()


def send_manual_checkin(session: Session, client: Client, rep: Rep, text: str, *, now: dt.datetime) -> OutreachJob:
    """Text the worklist's check-in now, within the same limits as any outreach text (quiet
    hours included: a person at the console is told to try again in the morning)."""
    practice = session.get_one(Practice, client.practice_id)
    decision = limits.decide(contact_for(session, client, practice), sent_at=sent_times(session, client.id), now=now)
    if isinstance(decision, limits.Skip):
        raise OutreachBlocked(decision.reason)
    if isinstance(decision, limits.Wait):
        raise OutreachBlocked("quiet_hours")
    assert client.mobile_e164 is not None  # limits.decide sends only with a mobile on file
    message = send_sms(session, practice.id, client.mobile_e164, text, author=Author.SYSTEM)
    job = OutreachJob(
        practice_id=practice.id,
        client_id=client.id,
        kind=OutreachKind.MANUAL_CHECKIN,
        rule="manual_checkin",
        event_key=f"manual_checkin:client:{client.id}:{uuid.uuid4().hex[:12]}",
        due_at=now,
        state=OutreachState.SENT,
        message_id=message.id,
        created_at=now,
        decided_at=now,
    )
    session.add(job)
    session.add(
        OutreachContact(practice_id=practice.id, client_id=client.id, rep_id=rep.id, kind="checkin_texted", at=now)
    )
    session.flush()
    return job


def _last_contact(session: Session, client_id: int) -> dt.datetime | None:
    contact = session.scalar(select(func.max(OutreachContact.at)).where(OutreachContact.client_id == client_id))
    sent = session.scalar(
        select(func.max(OutreachJob.decided_at)).where(
            OutreachJob.client_id == client_id, OutreachJob.state == OutreachState.SENT
        )
    )
    moments = [moment for moment in (contact, sent) if moment is not None]
    return max(moments) if moments else None


def dropped_off_clients(session: Session, practice: Practice, *, now: dt.datetime) -> list[DroppedOff]:
    """Clients with no session for the practice's `dropped_off_after_days` and nothing booked
    (never a discharged or do-not-contact client), longest gone first."""
    settings = settings_for(practice)
    found: list[DroppedOff] = []
    for client in session.scalars(select(Client).where(Client.practice_id == practice.id).order_by(Client.id)):
        gone = rules.dropped_off(planner.client_facts(session, client), settings, now)
        if gone is not None:
            last = session.get_one(Appointment, gone.last_session.id)
            found.append(DroppedOff(client, last, _last_contact(session, client.id)))
    return sorted(found, key=lambda entry: (entry.last_session.starts_at, entry.client.id))
