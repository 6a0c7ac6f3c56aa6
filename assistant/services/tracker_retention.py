"""Deleting Rasa's old dialogue events, each conversation by its practice's retention setting.

Rasa's `events` rows hold every turn of every conversation, message text included, and
Rasa never deletes them. Dialogue state older than a Rasa session (60 minutes idle,
domain.yml) is never read again, so a conversation's events older than its practice's
`dialogue_retention_days` are deleted; events of no known conversation (Rasa's sender id
is the conversation id) keep the deployment's TRACKER_RETENTION_DAYS.

The events live in the dialogue database (store/tracker_events.dialogue_database_url: the
store's own PostgreSQL database, or a sibling SQLite file), the settings in the store, so
the two are joined here rather than in SQL: the old events' senders are read first, then
their practices, then each practice's rows are deleted in batches so SQLite's write lock
is held briefly. This runs from .venv, without importing rasa. Several gateways may run it
at once: the DELETE is idempotent, so no lease is needed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.logs import get_logger
from assistant.services.periodic import PeriodicJob
from assistant.store.engine import get_engine
from assistant.store.models import Conversation, Practice, utcnow
from assistant.store.statements import affected_rows
from assistant.store.tracker_events import dialogue_database_url, tracker_events

log = get_logger("tracker_retention")

BATCH = 2000
SENDERS_PER_QUERY = 500  # bound parameters per IN (...), well under SQLite's limit
POLL_SECONDS = 3600.0


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _retention_by_sender(store: Session, senders: list[str], default_days: int) -> dict[str, int]:
    """Days to keep for each sender id: its conversation's practice setting, else the default."""
    days = dict.fromkeys(senders, default_days)
    for chunk in _chunks(senders, SENDERS_PER_QUERY):
        rows = store.execute(
            select(Conversation.id, Practice.dialogue_retention_days)
            .join(Practice, Practice.id == Conversation.practice_id)
            .where(Conversation.id.in_(chunk))
        )
        for conversation_id, retention_days in rows:
            days[conversation_id] = retention_days
    return days


def prune_tracker_events(
    session_factory: sessionmaker[Session],
    *,
    default_retention: dt.timedelta,
    now: dt.datetime | None = None,
    dialogue_factory: sessionmaker[Session] | None = None,
) -> int:
    """Delete each conversation's events older than its practice's retention; returns how many went.

    `session_factory` is the store; `dialogue_factory` the database holding Rasa's events
    (by default the one `dialogue_database_url` names for the store's URL).
    """
    if dialogue_factory is None:
        store_url = session_factory.kw["bind"].url.render_as_string(hide_password=False)
        dialogue_factory = sessionmaker(bind=get_engine(dialogue_database_url(store_url)), expire_on_commit=False)
    now = now or utcnow()
    with dialogue_factory() as dialogue:
        if not inspect(dialogue.connection()).has_table(tracker_events.name):
            return 0  # Rasa has not run against this database yet
        # The shortest retention any practice may have is one day: nothing newer can be due.
        newest_due = (now - dt.timedelta(days=1)).timestamp()
        senders = list(
            dialogue.scalars(
                select(tracker_events.c.sender_id).where(tracker_events.c.timestamp < newest_due).distinct()
            )
        )
    if not senders:
        return 0
    with session_factory() as store:
        days = _retention_by_sender(store, senders, default_retention.days)
    senders_by_days: dict[int, list[str]] = defaultdict(list)
    for sender, keep_days in days.items():
        senders_by_days[keep_days].append(sender)
    deleted = 0
    for keep_days, group in sorted(senders_by_days.items()):
        cutoff = (now - dt.timedelta(days=keep_days)).timestamp()
        for chunk in _chunks(group, SENDERS_PER_QUERY):
            deleted += _delete_before(dialogue_factory, chunk, cutoff)
    if deleted:
        log.info("tracker_events_pruned", deleted=deleted, conversations=len(senders))
    return deleted


def _delete_before(dialogue_factory: sessionmaker[Session], senders: list[str], cutoff: float) -> int:
    deleted = 0
    while True:
        batch = (
            select(tracker_events.c.id)
            .where(tracker_events.c.sender_id.in_(senders), tracker_events.c.timestamp < cutoff)
            .limit(BATCH)
        )
        with dialogue_factory.begin() as session:
            count = affected_rows(
                session, delete(tracker_events).where(tracker_events.c.id.in_(batch.scalar_subquery()))
            )
        deleted += count
        if count < BATCH:
            return deleted


def tracker_retention_loop(
    default_retention: dt.timedelta, database_url: str | None = None, poll_seconds: float = POLL_SECONDS
) -> PeriodicJob:
    """The gateway's thread: prune once at start-up, then every hour."""
    factory = sessionmaker(bind=get_engine(database_url), expire_on_commit=False)
    return PeriodicJob(
        "tracker-retention", poll_seconds, lambda: prune_tracker_events(factory, default_retention=default_retention)
    )
