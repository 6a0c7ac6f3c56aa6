"""The queue's one-line preview of the last thing each client wrote, and its audit trail.

A preview is a read of a client's words, so it is audited like a transcript (console_reads.py),
with its own action, `message_previewed`: once per rep and message, whatever the number of
times the live queue lists it again.  The audit table is the record (no table of its own): the
event's subject is the conversation and its details say which message ({"message": <id>}, as
`rep_replied` does), so "has this rep already been shown this message?" is one indexed read
(ix_audit_events_subject) for the whole queue.

The text is the stored `Message.text`, the copy every rep view reads: card numbers and SSNs
were removed and one-time links masked before it was stored (conversation/pipeline.py),
never the client's own delivery copy (`client_text`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.services import audit
from assistant.services.console_views import QueueItem, QueuePreview
from assistant.store.engine import session_scope
from assistant.store.models import AuditEvent, Author, Message, Rep

PREVIEWED = "message_previewed"
PREVIEW_LENGTH = 90  # characters, before the ellipsis: one line of a queue card at desk size
ELLIPSIS = "…"


def one_line(text: str) -> str | None:
    """`text` on one line (every run of white space, line breaks too, a single space), cut at a
    word boundary near PREVIEW_LENGTH with an ellipsis; None when nothing is left."""
    line = " ".join(text.split())
    if not line:
        return None
    if len(line) <= PREVIEW_LENGTH:
        return line
    head = line[: PREVIEW_LENGTH + 1]
    space = head.rfind(" ")
    # A word longer than half the line (a pasted URL, say) is cut mid-word rather than dropped.
    head = head[:space] if space >= PREVIEW_LENGTH // 2 else head[:PREVIEW_LENGTH]
    return head.rstrip(" ,;:-") + ELLIPSIS


def last_client_words(session: Session, conversation_ids: Sequence[str]) -> dict[str, QueuePreview]:
    """Conversation id -> the preview of its client's newest message, for those whose client
    wrote something (a call-back ticket, say, may have no client message at all)."""
    if not conversation_ids:
        return {}
    newest = (
        select(func.max(Message.id))
        .where(Message.conversation_id.in_(conversation_ids), Message.author == Author.CLIENT)
        .group_by(Message.conversation_id)
    )
    rows = session.execute(select(Message.conversation_id, Message.id, Message.text).where(Message.id.in_(newest)))
    previews = {}
    for conversation_id, message_id, text in rows:
        line = one_line(text)
        if line is not None:
            previews[conversation_id] = QueuePreview(message_id=message_id, text=line)
    return previews


def shown_in(items: Iterable[QueueItem]) -> dict[str, int]:
    """Conversation id -> the id of the message its card previews, for the cards with one."""
    return {item.id: item.preview.message_id for item in items if item.preview is not None}


def unrecorded(session: Session, rep_actor: str, shown: dict[str, int]) -> dict[str, int]:
    """Those of `shown` (conversation id -> message id) this rep has no `message_previewed`
    event for yet.  One read, however many cards the queue has."""
    if not shown:
        return {}
    rows = session.execute(
        select(AuditEvent.subject_id, AuditEvent.details).where(
            AuditEvent.subject_type == "conversation",
            AuditEvent.subject_id.in_(shown),
            AuditEvent.action == PREVIEWED,
            AuditEvent.actor == rep_actor,
        )
    )
    recorded = {(subject_id, (details or {}).get("message")) for subject_id, details in rows}
    return {cid: mid for cid, mid in shown.items() if (cid, mid) not in recorded}


def record_previews(session: Session, rep_id: int, pending: dict[str, int], *, request_id: str | None = None) -> int:
    """Write `message_previewed` for each of `pending` this rep still has none for; how many.

    `session` may write.  Two of one rep's queue responses can race (the page's first load and
    its event stream start together): the rep's row is locked first (PostgreSQL; SQLite's
    writers already queue on BEGIN IMMEDIATE), and the check is made again under that lock,
    so the second finds the first's events and writes none."""
    if not pending:
        return 0
    session.execute(select(Rep.id).where(Rep.id == rep_id).with_for_update())
    rep_actor = f"rep:{rep_id}"
    still = unrecorded(session, rep_actor, pending)
    for conversation_id, message_id in still.items():
        audit.record(
            session,
            actor=rep_actor,
            action=PREVIEWED,
            subject_type="conversation",
            subject_id=conversation_id,
            details={"message": message_id},
            request_id=request_id,
        )
    return len(still)


def audit_shown(
    database_url: str, session: Session, rep_id: int, items: Sequence[QueueItem], *, request_id: str | None = None
) -> None:
    """Record the previews among `items` (one queue response) this rep is seeing for the first time.

    Checked on the caller's session, which may be read-only (one query); only when there is
    something new is a writing unit of work opened, so a live queue that shows nothing new never
    takes the write lock.  It commits before the queue is sent: a preview the audit could not
    record is not shown."""
    pending = unrecorded(session, f"rep:{rep_id}", shown_in(items))
    if pending:
        with session_scope(database_url) as writer:
            record_previews(writer, rep_id, pending, request_id=request_id)
