"""Deleting Rasa's old dialogue events (its tracker store shares the store's database).

Rasa's `events` rows hold every turn of every conversation, message text included, and
Rasa never deletes them. Dialogue state older than a Rasa session (60 minutes idle,
domain.yml) is never read again, so events older than `tracker_retention_days` are
deleted. This runs from .venv, without importing rasa: a plain SQL DELETE by Rasa's
timestamp column (Unix seconds), in batches so SQLite's write lock is held briefly.
Several gateways may run it at once: the DELETE is idempotent, so no lease is needed.
"""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.logs import get_logger
from assistant.store.engine import get_engine
from assistant.store.models import utcnow
from assistant.store.statements import affected_rows
from assistant.store.tracker_events import tracker_events

log = get_logger("tracker_retention")

BATCH = 2000
POLL_SECONDS = 3600.0


def prune_tracker_events(
    session_factory: sessionmaker[Session], *, retention: dt.timedelta, now: dt.datetime | None = None
) -> int:
    """Delete Rasa's events stamped before `now - retention`; returns how many went."""
    with session_factory() as session:
        if not inspect(session.connection()).has_table(tracker_events.name):
            return 0  # Rasa has not run against this database yet
    cutoff = ((now or utcnow()) - retention).timestamp()
    deleted = 0
    while True:
        batch = select(tracker_events.c.id).where(tracker_events.c.timestamp < cutoff).limit(BATCH)
        with session_factory.begin() as session:
            count = affected_rows(
                session, delete(tracker_events).where(tracker_events.c.id.in_(batch.scalar_subquery()))
            )
        deleted += count
        if count < BATCH:
            break
    if deleted:
        log.info("tracker_events_pruned", deleted=deleted, retention_days=retention.days)
    return deleted


class TrackerRetentionLoop:
    """The gateway's thread: prune once at start-up, then every hour."""

    def __init__(self, retention: dt.timedelta, database_url: str | None = None, poll_seconds: float = POLL_SECONDS):
        self._factory = sessionmaker(bind=get_engine(database_url), expire_on_commit=False)
        self._retention = retention
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="tracker-retention", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=15)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                prune_tracker_events(self._factory, retention=self._retention)
            except Exception:
                log.exception("tracker_retention_failed")
            self._stop.wait(self._poll_seconds)
