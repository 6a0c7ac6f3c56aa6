"""What a conversation has done with codes so far, and the limits on it: codes requested and
wrong codes tried (counted from the audit log), and whom its codes were texted to."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.store.models import AuditEvent, Conversation, VerificationCode

MAX_CODE_ATTEMPTS = 5  # wrong codes per conversation, then a person takes over
MAX_CODE_REQUESTS = 3  # texts a conversation may trigger (no SMS bombing from a web page)
REQUEST_EVENT = "verification_code_requested"
FAILURE_EVENT = "verification_code_failed"


def requests_so_far(session: Session, conversation: Conversation) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == REQUEST_EVENT,
                AuditEvent.subject_type == "conversation",
                AuditEvent.subject_id == conversation.id,
            )
        )
        or 0
    )


def attempts_so_far(session: Session, conversation: Conversation) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == FAILURE_EVENT,
                AuditEvent.subject_type == "conversation",
                AuditEvent.subject_id == conversation.id,
            )
        )
        or 0
    )


def last_code_client(session: Session, conversation: Conversation) -> int | None:
    """Whom the conversation's codes were texted to (codes exist only for matched details)."""
    return session.scalar(
        select(VerificationCode.client_id)
        .where(VerificationCode.conversation_id == conversation.id)
        .order_by(VerificationCode.id.desc())
        .limit(1)
    )
