"""The practice's audit log as an admin reads it: filtered to the practice, paged, shown
with link-shaped secrets masked, and exported as CSV that is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import String, cast, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from assistant.services.secret_masking import mask_link_shapes
from assistant.store.models import AuditEvent, Client, Conversation, Rep


# What the audit page and the export read, in the JSON key order the console has always seen.
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


def audit_events(
    session: Session,
    practice_id: int,
    *,
    limit: int = 100,
    before_id: int | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
) -> list[AuditEvent]:
    query = _practice_events(practice_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)))


def audit_view(event: AuditEvent) -> AuditEventView:
    """One event as the audit page and the CSV export show it (details are free-form, so
    anything shaped like a one-time link is masked as a precaution)."""
    return AuditEventView(
        id=event.id,
        at=event.at.isoformat(),
        actor=event.actor,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        request_id=event.request_id,
        details=mask_link_shapes(event.details or {}),
    )


CSV_COLUMNS = ("id", "at", "actor", "action", "subject_type", "subject_id", "request_id", "details")


def _csv_safe(value: str) -> str:
    # A spreadsheet must not run a cell as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_csv(session: Session, practice_id: int, batch: int = 1000) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    before_id = None
    while True:
        events = audit_events(session, practice_id, limit=batch, before_id=before_id)
        for event in events:
            row = asdict(audit_view(event))
            row["details"] = json.dumps(row["details"], sort_keys=True)
            writer.writerow([_csv_safe(str(row[column] if row[column] is not None else "")) for column in CSV_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(events) < batch:
            break
        before_id = events[-1].id
