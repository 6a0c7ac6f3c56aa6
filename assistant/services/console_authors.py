"""Who wrote a conversation's rep messages, by name, for the console's transcript.

Messages carry no rep id: the store records who sent a rep reply in the audit log instead
(`rep_replied`, actor "rep:<id>", details {"message": <id>}), written in the same transaction as
the message by services/console.py.  Those rows are exact where the claim on the ticket is
only a guess (an admin may reply, a ticket may change hands), so the console reads them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services.console_queue import rep_names
from assistant.store.models import AuditEvent

REP_ACTOR_PREFIX = "rep:"


def reply_authors(session: Session, conversation_id: str) -> dict[int, str]:
    """Message id -> the display name of the rep who sent it, for this conversation's replies.

    One indexed read (ix_audit_events_subject) of the conversation's `rep_replied` rows."""
    rows = session.execute(
        select(AuditEvent.actor, AuditEvent.details).where(
            AuditEvent.subject_type == "conversation",
            AuditEvent.subject_id == conversation_id,
            AuditEvent.action == "rep_replied",
        )
    ).all()
    sent_by: dict[int, int] = {}
    for actor, details in rows:
        message_id = (details or {}).get("message")
        rep_id = actor.removeprefix(REP_ACTOR_PREFIX)
        if isinstance(message_id, int) and actor.startswith(REP_ACTOR_PREFIX) and rep_id.isdigit():
            sent_by[message_id] = int(rep_id)
    names = rep_names(session, set(sent_by.values()))
    return {message_id: names[rep_id] for message_id, rep_id in sent_by.items() if names.get(rep_id)}
