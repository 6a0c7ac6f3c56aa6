"""One conversation's messages are answered one at a time and in order, across processes.

Inside one process, KeyedWorkers (workers.py) already run a conversation's jobs in turn;
between gateway processes each turn holds the conversation's lock for as long as it runs
(routing, the bot's answer, the reply), and, holding it, first answers any earlier message
of the conversation still waiting (taking over its lease), then its own.  So message N+1
is never answered before N, whichever process accepted which.

Which lock:

    PostgreSQL  a session-level advisory lock, `pg_advisory_lock(namespace, hash of the
                conversation id)`, on a connection of its own pool held for the turn (the
                turn's own transactions are short and use the store's pool, so waiting for
                a lock never starves them).  A process that dies drops its connection and
                PostgreSQL releases the lock at once: nothing to expire.
    SQLite      an exclusive `flock` on one of 256 lock files beside the database file
                (chosen by a hash of the conversation id).  The kernel drops it when the
                process dies, too.  SQLite has no advisory locks, and a lock row would hold
                the write lock or need expiry; a file lock is the stdlib's, no library needed.

A lease row per conversation was the alternative; it needs a migration and an expiry,
where both locks above vanish with their holder.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, select, text, update

from assistant.conversation.lease import LEASE
from assistant.logs import get_logger
from assistant.store.engine import get_engine, read_scope, session_scope
from assistant.store.models import Direction, Message, MessageStatus, utcnow

log = get_logger("conversation.ordering")

LOCK_NAMESPACE = 0x46443135  # pg_advisory_lock's first key: this lock's, no other's ("FD15")
LOCK_FILES = 256
# A turn is bounded by the bot's timeout; a lock still not granted after this is an error
# (the job fails, its lease is released and recovery answers the message later).
LOCK_WAIT_SECONDS = int(LEASE.total_seconds())
LOCK_POOL = {"pool_size": 4, "max_overflow": 60}

T = TypeVar("T")


def _key(conversation_id: str) -> int:
    """A stable 31-bit number for the conversation (not Python's per-process hash())."""
    return int.from_bytes(hashlib.sha256(conversation_id.encode()).digest()[:4], "big") & 0x7FFFFFFF


@lru_cache(maxsize=8)
def _lock_engine(url: str) -> Engine:
    """One lock pool per process and database, whatever the number of pipelines.
    Autocommit: the lock is the connection's, so no transaction stays open for the turn."""
    return create_engine(
        url,
        isolation_level="AUTOCOMMIT",
        pool_pre_ping=True,
        connect_args={"options": f"-c statement_timeout={LOCK_WAIT_SECONDS * 1000}"},
        **LOCK_POOL,
    )


class _AdvisoryLocks:
    def __init__(self, url: str) -> None:
        self._engine = _lock_engine(url)

    @contextmanager
    def hold(self, conversation_id: str) -> Iterator[None]:
        key = {"namespace": LOCK_NAMESPACE, "key": _key(conversation_id)}
        with self._engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:namespace, :key)"), key)
            try:
                yield
            finally:
                try:
                    connection.execute(text("SELECT pg_advisory_unlock(:namespace, :key)"), key)
                except Exception:
                    # Unsure whether it is still held: dropping the connection releases it.
                    connection.invalidate()
                    raise

    def close(self) -> None:
        pass  # the pool is the process's (_lock_engine), shared by every pipeline


class _FileLocks:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._directory = directory

    @contextmanager
    def hold(self, conversation_id: str) -> Iterator[None]:
        # A descriptor of its own per turn: flock excludes other threads of this process too.
        path = self._directory / f"{_key(conversation_id) % LOCK_FILES:03d}.lock"
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing drops the lock

    def close(self) -> None:
        pass


class _ThreadLocks:
    """An in-memory SQLite database lives in one process: a lock per key is enough."""

    def __init__(self) -> None:
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, conversation_id: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(_key(conversation_id) % LOCK_FILES, threading.Lock())
        with lock:
            yield

    def close(self) -> None:
        pass


class ConversationOrder:
    """Runs each turn under its conversation's lock, the conversation's backlog first."""

    def __init__(self, database_url: str, owner: str) -> None:
        self._database_url = database_url
        self._owner = owner
        self._locks: _AdvisoryLocks | _FileLocks | _ThreadLocks
        dialect = get_engine(database_url).dialect.name
        database_file = get_engine(database_url).url.database
        if dialect == "postgresql":
            self._locks = _AdvisoryLocks(database_url)
        elif database_file and database_file != ":memory:":
            self._locks = _FileLocks(Path(f"{database_file}.turn-locks"))
        else:
            self._locks = _ThreadLocks()

    def close(self) -> None:
        self._locks.close()

    @contextmanager
    def hold(self, conversation_id: str) -> Iterator[None]:
        with self._locks.hold(conversation_id):
            yield

    def answer_in_order(self, message_id: int, answer: Callable[[int], T]) -> list[T]:
        """`answer` each waiting message of this one's conversation up to it, oldest first,
        under the conversation's lock; the results in that order (this message's last)."""
        with read_scope(self._database_url) as session:
            conversation_id = session.scalar(select(Message.conversation_id).where(Message.id == message_id))
        if conversation_id is None:
            return [answer(message_id)]
        with self.hold(conversation_id):
            results = [answer(earlier) for earlier in self._take_over_backlog(conversation_id, message_id)]
            results.append(answer(message_id))
        return results

    def _take_over_backlog(self, conversation_id: str, message_id: int) -> list[int]:
        """Earlier inbound messages still waiting, now leased to this process.  Holding the
        conversation's lock, nobody else is mid-turn on it: another process's lease on one
        of these only means it is queued there, and that process will find it answered."""
        with session_scope(self._database_url) as session:
            waiting = list(
                session.scalars(
                    select(Message.id)
                    .where(
                        Message.conversation_id == conversation_id,
                        Message.direction == Direction.INBOUND,
                        Message.status == MessageStatus.RECEIVED,
                        Message.id < message_id,
                    )
                    .order_by(Message.id)
                )
            )
            if waiting:
                session.execute(
                    update(Message)
                    .where(Message.id.in_(waiting), Message.status == MessageStatus.RECEIVED)
                    .values(leased_by=self._owner, lease_until=utcnow() + LEASE)
                    .execution_options(synchronize_session=False)
                )
                log.info("answering_earlier_messages_first", conversation=conversation_id, count=len(waiting))
        return waiting
