"""The audit trail: who did what to which record, written in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from assistant.store.models import AuditEvent, utcnow


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | int,
    details: dict[str, Any] | None = None,
    request_id: str | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Add one event; it commits or rolls back together with the change it describes.

    `actor` is "bot", "system", "client:<id>" or "rep:<id>".  `at` lets callers
    that work on a given clock (tests, demo data) stamp events consistently.
    """
    event = AuditEvent(
        at=at or utcnow(),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details,
        request_id=request_id,
    )
    session.add(event)
    return event
