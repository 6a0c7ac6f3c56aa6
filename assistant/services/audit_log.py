"""The practice's audit log as an admin reads it: filtered to the practice (and by rep, action
and date range), paged, shown as sentences (a label, the rep's name and email, the client's
name, the time in the practice's zone) with link-shaped secrets masked, and exported as CSV
that keeps ISO timestamps and IDs and is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy import String, cast, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from assistant.services.audit_labels import action_label
from assistant.services.secret_masking import mask_link_shapes
from assistant.store.models import AuditEvent, Client, Conversation, Practice, Rep

# "Tue Dec 1, 2026, 7:10 AM": a fixed CLDR pattern and locale (see assistant/wording/formats.py).
FULL_DATE_AND_TIME = "EEE MMM d, y, h:mm a"


@dataclass(frozen=True)
class AuditFilter:
    """What the admin asked for. Dates are the practice's calendar days, both ends included."""

    rep_id: int | None = None
    action: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    before_id: int | None = None


# What the audit page and the export read; the first eight keys are what the console has always seen.
@dataclass(frozen=True)
class AuditEventView:
    id: int
    at: str
    actor: str
    action: str
    subject_type: str
    subject_id: str
    request_id: str | None
    details: dict[str, Any]
    action_label: str
    at_text: str  # "Tue Dec 1, 2026, 7:10 AM EST", in the practice's time zone
    actor_name: str  # the rep's name, or "Assistant" / "System" / "Client"
    actor_email: str | None
    client_id: int | None
    client_name: str | None
    conversation_id: str | None  # the conversation to open from the client's name


def _practice_events(practice_id: int) -> Select[AuditEvent]:
    """Audit events about this practice: its reps' actions and its conversations, clients, reps."""
    rep_ids = select(cast(Rep.id, String)).where(Rep.practice_id == practice_id)
    rep_actors = select(literal("rep:", String) + cast(Rep.id, String)).where(Rep.practice_id == practice_id)
    conversations = select(Conversation.id).where(Conversation.practice_id == practice_id)
    clients = select(cast(Client.id, String)).where(Client.practice_id == practice_id)
    return select(AuditEvent).where(
        or_(
            AuditEvent.actor.in_(rep_actors),
            (AuditEvent.subject_type == "conversation") & AuditEvent.subject_id.in_(conversations),
            (AuditEvent.subject_type == "client") & AuditEvent.subject_id.in_(clients),
            (AuditEvent.subject_type == "rep") & AuditEvent.subject_id.in_(rep_ids),
            (AuditEvent.subject_type == "practice") & (AuditEvent.subject_id == str(practice_id)),
        )
    )


def _start_of_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def practice_zone(session: Session, practice_id: int) -> ZoneInfo:
    practice = session.get(Practice, practice_id)
    return ZoneInfo(practice.timezone if practice else "UTC")


def audit_events(
    session: Session,
    practice_id: int,
    *,
    limit: int = 100,
    before_id: int | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str | None = None,
) -> list[AuditEvent]:
    query = _practice_events(practice_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)))


def filtered_events(
    session: Session, practice_id: int, wanted: AuditFilter, *, limit: int, zone: ZoneInfo
) -> list[AuditEvent]:
    """One page of events matching `wanted`; the date range is read in the practice's zone."""
    return audit_events(
        session,
        practice_id,
        limit=limit,
        before_id=wanted.before_id,
        action=wanted.action,
        actor=f"rep:{wanted.rep_id}" if wanted.rep_id is not None else None,
        since=_start_of_day(wanted.since, zone) if wanted.since else None,
        until=_start_of_day(wanted.until + dt.timedelta(days=1), zone) if wanted.until else None,
    )


@dataclass(frozen=True)
class _People:
    """Who a page of events names, read in three queries rather than three per event."""

    reps: dict[int, Rep]
    clients: dict[int, Client]
    conversations: dict[str, Conversation]


def _id_of(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _people(session: Session, practice_id: int, events: Iterable[AuditEvent]) -> _People:
    rep_ids: set[int] = set()
    client_ids: set[int] = set()
    conversation_ids: set[str] = set()
    for event in events:
        kind, _, number = event.actor.partition(":")
        if kind == "rep" and (rep_id := _id_of(number)) is not None:
            rep_ids.add(rep_id)
        if kind == "client" and (client_id := _id_of(number)) is not None:
            client_ids.add(client_id)
        if event.subject_type == "client" and (client_id := _id_of(event.subject_id)) is not None:
            client_ids.add(client_id)
        if event.subject_type == "conversation":
            conversation_ids.add(event.subject_id)
    conversations = {
        c.id: c
        for c in session.scalars(
            select(Conversation).where(Conversation.id.in_(conversation_ids), Conversation.practice_id == practice_id)
        )
    }
    client_ids.update(c.client_id for c in conversations.values() if c.client_id is not None)
    reps = session.scalars(select(Rep).where(Rep.id.in_(rep_ids), Rep.practice_id == practice_id))
    clients = session.scalars(select(Client).where(Client.id.in_(client_ids), Client.practice_id == practice_id))
    return _People({r.id: r for r in reps}, {c.id: c for c in clients}, conversations)


_ACTOR_NAMES = {"bot": "Assistant", "system": "System", "client": "Client"}


def _view(event: AuditEvent, people: _People, zone: ZoneInfo) -> AuditEventView:
    kind, _, number = event.actor.partition(":")
    rep = people.reps.get(_id_of(number) or 0) if kind == "rep" else None
    conversation = people.conversations.get(event.subject_id) if event.subject_type == "conversation" else None
    client_id = (
        conversation.client_id
        if conversation is not None
        else _id_of(event.subject_id)
        if event.subject_type == "client"
        else _id_of(number)
        if kind == "client"
        else None
    )
    client = people.clients.get(client_id) if client_id is not None else None
    local = event.at.astimezone(zone)
    return AuditEventView(
        id=event.id,
        at=event.at.isoformat(),
        actor=event.actor,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        request_id=event.request_id,
        details=mask_link_shapes(event.details or {}),
        action_label=action_label(event.action),
        at_text=f"{format_datetime(local, FULL_DATE_AND_TIME, tzinfo=zone, locale='en_US')} {local.tzname()}",
        actor_name=rep.display_name if rep else _ACTOR_NAMES.get(kind, event.actor),
        actor_email=rep.email if rep else None,
        client_id=client.id if client else None,
        client_name=client.full_name if client else None,
        conversation_id=conversation.id if conversation else None,
    )


def audit_views(session: Session, practice_id: int, events: list[AuditEvent]) -> list[AuditEventView]:
    """Events as the audit page and the CSV export show them (details are free-form, so
    anything shaped like a one-time link is masked as a precaution)."""
    zone = practice_zone(session, practice_id)
    people = _people(session, practice_id, events)
    return [_view(event, people, zone) for event in events]


CSV_COLUMNS = (
    "id",
    "at",
    "actor",
    "action",
    "subject_type",
    "subject_id",
    "request_id",
    "details",
    "action_label",
    "actor_name",
    "actor_email",
    "client_id",
)


def _csv_safe(value: str) -> str:
    # A spreadsheet must not run a cell as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_csv(
    session: Session, practice_id: int, wanted: AuditFilter | None = None, batch: int = 1000
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    zone = practice_zone(session, practice_id)
    wanted = wanted or AuditFilter()
    while True:
        events = filtered_events(session, practice_id, wanted, limit=batch, zone=zone)
        for view in audit_views(session, practice_id, events):
            row = asdict(view)
            row["details"] = json.dumps(row["details"], sort_keys=True)
            writer.writerow([_csv_safe(str(row[column] if row[column] is not None else "")) for column in CSV_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(events) < batch:
            break
        wanted = replace(wanted, before_id=events[-1].id)
