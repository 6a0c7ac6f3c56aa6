"""On PostgreSQL, every commit that changes a conversation says so: `NOTIFY` on one channel
with the conversation's id, so live screens (the widget's and the console's event streams,
assistant/live/) wake up instead of polling.

The ids are collected after each flush (new or changed messages, conversations and
hand-off tickets) and sent with `pg_notify` just before the commit, inside the same
transaction: PostgreSQL delivers them only if, and once, it commits.  Bulk UPDATEs (a
message's lease, its status) do not flush objects and are not announced: nothing a
screen shows changes with them.  Any process that writes (gateway, action server, CLI)
announces its changes the same way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from assistant.store.models import Conversation, HandoffTicket, Message

CHANNEL = "front_desk_changes"
_PENDING = "live_changed_conversations"  # in Session.info


def _collect(session: Session, _flush: UOWTransaction) -> None:
    changed: set[str] = session.info.setdefault(_PENDING, set())
    for item in (*session.new, *session.dirty, *session.deleted):
        if isinstance(item, Conversation) and item.id:
            changed.add(item.id)
        elif isinstance(item, (Message, HandoffTicket)) and item.conversation_id:
            changed.add(item.conversation_id)


def _announce(session: Session) -> None:
    session.flush()  # before_commit runs before the commit's own flush: collect that one too
    changed: set[str] = session.info.pop(_PENDING, set())
    for conversation_id in sorted(changed):
        session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": conversation_id})


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def announce_changes(factory: sessionmaker[Session]) -> None:
    """Make this (PostgreSQL) session factory's commits announce what they changed."""
    # after_flush: ids are assigned, and new/dirty/deleted still list what was flushed.
    event.listen(factory, "after_flush", _collect)
    event.listen(factory, "before_commit", _announce)
    event.listen(factory, "after_rollback", _forget)
