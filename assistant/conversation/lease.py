"""Claiming an accepted client message, so exactly one gateway process answers it.

Whoever is about to handle an inbound message (an SMS worker, a web chat request,
recovery after a restart, in this process or another) first takes its lease in the
name of its process: a conditional UPDATE ... WHERE status = 'received' AND the lease is
free, expired or already this process's, and its row count says who won.  Inside one
process, jobs for one conversation already run one at a time and in order (workers.py);
the lease settles it between processes.  Finishing a turn is itself conditional (see
pipeline.py), so even a turn that outlived its lease never answers twice.

A process that crashed leaves leases behind.  They run out after `LEASE`; sooner, when
the owner is provably dead: a process of this host whose pid no longer exists.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from assistant.store.models import Message, MessageStatus
from assistant.store.statements import affected_rows

# Longer than a message waits in its conversation's queue plus one turn (the bot's own
# timeout is seconds); short enough that another host's crash is recovered in minutes.
LEASE = dt.timedelta(minutes=5)


def _host() -> str:
    return socket.gethostname()[:30]


def new_owner() -> str:
    """A lease owner's name: host, process id and a random part (one per pipeline)."""
    return f"{_host()}:{os.getpid()}:{uuid.uuid4().hex[:16]}"[:64]


def owner_is_dead(owner: str | None) -> bool:
    """True only when certain: the owner was a process of this host that has exited."""
    host, _, rest = (owner or "").partition(":")
    pid_text = rest.partition(":")[0]
    if host != _host() or not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists (PermissionError: another user's process)
        return False
    return False


def claim(
    session: Session, message_id: int, *, owner: str, now: dt.datetime, take_over_from: str | None = None
) -> bool:
    """Take (or, for its owner, renew) the message's lease; False if another has it or it
    is no longer waiting to be answered.  `take_over_from`: a dead owner whose live lease
    may be taken (see `owner_is_dead`)."""
    free = [Message.lease_until.is_(None), Message.lease_until < now, Message.leased_by == owner]
    if take_over_from is not None:
        free.append(Message.leased_by == take_over_from)
    won = affected_rows(
        session,
        update(Message)
        .where(Message.id == message_id, Message.status == MessageStatus.RECEIVED, or_(*free))
        .values(lease_until=now + LEASE, leased_by=owner)
        .execution_options(synchronize_session=False),
    )
    return won == 1


def finish(session: Session, message_id: int, *, owner: str, now: dt.datetime) -> bool:
    """Mark the message answered, if it still waits and is still `owner`'s; False means
    somebody else answered (or took over) it, and nothing may be said."""
    done = affected_rows(
        session,
        update(Message)
        .where(Message.id == message_id, Message.status == MessageStatus.RECEIVED, Message.leased_by == owner)
        .values(status=MessageStatus.PROCESSED, processed_at=now)
        .execution_options(synchronize_session=False),
    )
    return done == 1


def release(session: Session, message_id: int, *, owner: str) -> None:
    """Give a lease back early (handling failed): any process may retry the message at once."""
    session.execute(
        update(Message)
        .where(Message.id == message_id, Message.leased_by == owner, Message.status == MessageStatus.RECEIVED)
        .values(lease_until=None)
        .execution_options(synchronize_session=False)
    )
