"""The dropped-off worklist: clients with no session for a while and nothing booked, for a
person to reach out to; "reached out" (with a note) and "text a check-in" are logged as
OutreachContact rows and audited.

Who is on the list is O1's call (`services.outreach.dropped_off_clients`, the same facts the
automatic check-in rule uses); texting goes through O1's `send_manual_checkin`, which applies
the same consent, opt-out, quiet-hours and 1-a-day / 3-a-week limits as every outreach text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.outreach.settings import settings_for
from assistant.services import audit, outreach
from assistant.services.console import ConsoleError, NotAllowed, actor
from assistant.services.console_views import iso
from assistant.services.outreach_console import preview
from assistant.store.models import (
    Client,
    OutreachContact,
    OutreachKind,
    Practice,
    Rep,
)

# Why a check-in was not sent, in words for the rep (OutreachBlocked reasons).
BLOCKED_WORDS = {
    "quiet_hours": "Not sent: it is quiet hours (9 PM to 8 AM) where the client is. Try again in the morning.",
    "daily_limit": "Not sent: this client already got an outreach text today.",
    "weekly_limit": "Not sent: this client already got 3 outreach texts this week.",
    "no_sms_consent": "Not sent: this client has not agreed to texts.",
    "opted_out": "Not sent: this client replied STOP to texts.",
    "no_mobile": "Not sent: no mobile number on file.",
    "do_not_contact": "Not sent: this client is marked do not contact.",
    "paused": "Not sent: outreach is paused for this client.",
    "discharged": "Not sent: this client is discharged.",
}


class CheckinRefused(ConsoleError):
    status_code = 422


class CheckinBlocked(ConsoleError):
    status_code = 409


@dataclass(frozen=True)
class WorklistEntry:
    client_id: int
    name: str
    last_session: str
    last_contact: str | None
    last_contact_kind: str | None  # reached_out, checkin_texted, outreach_text (an automatic text)
    last_note: str | None
    can_text: bool  # SMS consent, a mobile on file, not opted out


@dataclass(frozen=True)
class ContactView:
    id: int
    client_id: int
    kind: str
    note: str | None
    at: str
    rep_id: int | None


@dataclass(frozen=True)
class CheckinDraft:
    client_id: int
    template: str
    text: str
    segments: int
    problems: list[str]


def _last_contacts(session: Session, client_ids: list[int]) -> dict[int, OutreachContact]:
    if not client_ids:
        return {}
    newest = (
        select(OutreachContact.client_id, func.max(OutreachContact.id).label("id"))
        .where(OutreachContact.client_id.in_(client_ids))
        .group_by(OutreachContact.client_id)
        .subquery()
    )
    rows = session.scalars(select(OutreachContact).join(newest, OutreachContact.id == newest.c.id))
    return {row.client_id: row for row in rows}


def _can_text(client: Client) -> bool:
    return bool(client.sms_consent and client.mobile_e164 and client.sms_opted_out_at is None)


def worklist(session: Session, rep: Rep, practice: Practice, *, now: dt.datetime) -> list[WorklistEntry]:
    if practice.id != rep.practice_id:
        raise NotAllowed("this practice is not yours")
    found = outreach.dropped_off_clients(session, practice, now=now)
    contacts = _last_contacts(session, [item.client.id for item in found])
    entries = []
    for item in found:
        contact = contacts.get(item.client.id)
        by_person = contact is not None and (item.last_contact is None or contact.at >= item.last_contact)
        entries.append(
            WorklistEntry(
                client_id=item.client.id,
                name=item.client.full_name,
                last_session=iso(item.last_session.starts_at) or "",
                last_contact=iso(item.last_contact),
                last_contact_kind=contact.kind
                if by_person and contact
                else ("outreach_text" if item.last_contact else None),
                last_note=contact.note if by_person and contact else None,
                can_text=_can_text(item.client),
            )
        )
    return entries


def _contact_view(contact: OutreachContact) -> ContactView:
    return ContactView(
        id=contact.id,
        client_id=contact.client_id,
        kind=contact.kind,
        note=contact.note,
        at=iso(contact.at) or "",
        rep_id=contact.rep_id,
    )


def reached_out(
    session: Session, rep: Rep, client: Client, note: str | None, *, now: dt.datetime, request_id: str | None = None
) -> ContactView:
    if client.practice_id != rep.practice_id:
        raise NotAllowed("this client belongs to another practice")
    contact = OutreachContact(
        practice_id=client.practice_id, client_id=client.id, rep_id=rep.id, kind="reached_out", note=note, at=now
    )
    session.add(contact)
    session.flush()
    audit.record(
        session,
        actor=actor(rep),
        action="outreach_reached_out",
        subject_type="client",
        subject_id=client.id,
        details={"contact_id": contact.id, "with_note": bool(note)},
        request_id=request_id,
        at=now,
    )
    return _contact_view(contact)


def checkin_draft(session: Session, rep: Rep, practice: Practice, client: Client, *, now: dt.datetime) -> CheckinDraft:
    """The practice's check-in template, rendered for this client, to edit before sending."""
    if client.practice_id != rep.practice_id:
        raise NotAllowed("this client belongs to another practice")
    template = settings_for(practice).template_for(OutreachKind.MANUAL_CHECKIN)
    shown = preview(session, practice, template, client, now=now)
    return CheckinDraft(
        client_id=client.id, template=template, text=shown.text, segments=shown.segments, problems=shown.problems
    )


def text_checkin(
    session: Session,
    rep: Rep,
    practice: Practice,
    client: Client,
    template: str,
    *,
    now: dt.datetime,
    request_id: str | None = None,
) -> ContactView:
    """Render the (edited) template for the client and send it through the outreach limits."""
    if client.practice_id != rep.practice_id:
        raise NotAllowed("this client belongs to another practice")
    shown = preview(session, practice, template, client, now=now)
    if shown.problems:
        raise CheckinRefused(" ".join(shown.problems))
    try:  # the preview rendered it for this client already (no problems: it rendered)
        job = outreach.send_manual_checkin(session, client, rep, shown.text, now=now)
    except outreach.OutreachBlocked as error:
        raise CheckinBlocked(BLOCKED_WORDS.get(error.reason, f"Not sent ({error.reason}).")) from error
    # send_manual_checkin logs the OutreachContact; this is the one just written.
    contact = _last_contacts(session, [client.id])[client.id]
    audit.record(
        session,
        actor=actor(rep),
        action="outreach_checkin_texted",
        subject_type="client",
        subject_id=client.id,
        details={"contact_id": contact.id, "job_id": job.id, "segments": shown.segments},
        request_id=request_id,
        at=now,
    )
    return _contact_view(contact)
