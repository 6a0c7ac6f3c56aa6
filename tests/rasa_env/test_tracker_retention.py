"""Old dialogue events are deleted by the gateway's retention job (plain SQL, no rasa import),
each conversation by its practice's retention setting."""

from __future__ import annotations

import datetime as dt
import secrets
import time

import pytest
import time_machine
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import sessionmaker

from assistant import cli
from assistant.config import get_settings
from assistant.services import tracker_retention
from assistant.services.tracker_retention import prune_tracker_events, tracker_retention_loop
from assistant.store.engine import get_engine, session_scope
from assistant.store.models import Channel, Conversation, Practice
from assistant.store.tracker_events import dialogue_database_url, rasa_metadata, tracker_events
from tests.rasa_env.conftest import RasaTrackerStore

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
RETENTION = dt.timedelta(days=30)


def ago(**delta: float) -> float:
    return (NOW - dt.timedelta(**delta)).timestamp()


def event_count(store_url: str, sender: str | None = None) -> int:
    query = select(func.count()).select_from(tracker_events)
    if sender is not None:
        query = query.where(tracker_events.c.sender_id == sender)
    with get_engine(dialogue_database_url(store_url)).connect() as connection:
        return int(connection.scalar(query) or 0)


def add_events(store_url: str, rows: list[dict[str, object]]) -> None:
    engine = get_engine(dialogue_database_url(store_url))
    rasa_metadata.create_all(engine)  # the table as Rasa creates it
    with engine.begin() as connection:
        connection.execute(insert(tracker_events), rows)


def user_event(sender: str, at: float) -> dict[str, object]:
    return {"sender_id": sender, "type_name": "user", "timestamp": at}


def conversation_of_practice(store_url: str, retention_days: int) -> str:
    with session_scope(store_url) as session:
        slug = f"keep-{secrets.token_hex(4)}"
        practice = Practice(slug=slug, name=slug, timezone="America/New_York", dialogue_retention_days=retention_days)
        session.add(practice)
        session.flush()
        conversation = Conversation(practice_id=practice.id, channel=Channel.WEB)
        session.add(conversation)
        session.flush()
        return conversation.id


def test_events_past_retention_are_deleted_and_rasa_still_reads_the_rest(
    store_url: str, rasa_store: RasaTrackerStore
) -> None:
    old, recent = f"conv-{secrets.token_hex(4)}", f"conv-{secrets.token_hex(4)}"
    rasa_store.save(old, [(ago(days=45), "hi"), (ago(days=30, seconds=1), "2")])
    rasa_store.save(recent, [(ago(days=29, hours=23), "hi"), (ago(hours=1), "yes")])
    factory = sessionmaker(bind=get_engine(store_url))
    with time_machine.travel(NOW, tick=False):  # the job reads the clock itself
        assert prune_tracker_events(factory, default_retention=RETENTION) == 2
        assert prune_tracker_events(factory, default_retention=RETENTION) == 0  # nothing more to do
    assert rasa_store.count(old)["user_turns"] == 0
    assert rasa_store.count(recent)["user_turns"] == 2


def test_each_conversation_keeps_its_practices_retention(store_url: str) -> None:
    brief = conversation_of_practice(store_url, retention_days=3)
    long = conversation_of_practice(store_url, retention_days=90)
    stranger = f"not-a-conversation-{secrets.token_hex(4)}"  # no practice: the deployment's 30 days
    add_events(
        store_url,
        [
            *(user_event(brief, ago(days=days)) for days in (4, 3.01, 2.9)),
            *(user_event(long, ago(days=days)) for days in (91, 60, 31)),
            *(user_event(stranger, ago(days=days)) for days in (31, 29)),
        ],
    )
    factory = sessionmaker(bind=get_engine(store_url))
    assert prune_tracker_events(factory, default_retention=RETENTION, now=NOW) == 4
    assert (event_count(store_url, brief), event_count(store_url, long), event_count(store_url, stranger)) == (1, 2, 1)
    # A practice that shortens its retention has the rest deleted on the next pass.
    with session_scope(store_url) as session:
        practice_id = session.get_one(Conversation, long).practice_id
        session.execute(update(Practice).where(Practice.id == practice_id).values(dialogue_retention_days=30))
    assert prune_tracker_events(factory, default_retention=RETENTION, now=NOW) == 2
    assert event_count(store_url, long) == 0


def test_the_command_uses_the_configured_retention(
    store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_events(store_url, [user_event("a", at) for at in (ago(days=8), ago(days=7, seconds=1), ago(days=6))])
    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("TRACKER_RETENTION_DAYS", "7")
    get_settings.cache_clear()
    try:
        with time_machine.travel(NOW, tick=False):
            assert cli.main(["prune-trackers"]) == 0
    finally:
        get_settings.cache_clear()
    assert capsys.readouterr().out.strip() == "deleted 2 dialogue events older than their practice's retention setting"
    assert event_count(store_url) == 1


def test_large_backlogs_go_in_batches(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracker_retention, "BATCH", 3)
    monkeypatch.setattr(tracker_retention, "SENDERS_PER_QUERY", 2)
    add_events(store_url, [*(user_event(f"s{n}", ago(days=40, minutes=n)) for n in range(7)), user_event("new", ago())])
    factory = sessionmaker(bind=get_engine(store_url))
    assert prune_tracker_events(factory, default_retention=RETENTION, now=NOW) == 7
    assert event_count(store_url) == 1


def test_nothing_to_prune_before_rasa_has_run(store_url: str) -> None:
    factory = sessionmaker(bind=get_engine(store_url))
    assert prune_tracker_events(factory, default_retention=RETENTION, now=NOW) == 0


def test_the_gateways_loop_prunes_at_start_up(store_url: str) -> None:
    add_events(store_url, [user_event("a", (dt.datetime.now(dt.UTC) - dt.timedelta(days=31)).timestamp())])
    loop = tracker_retention_loop(RETENTION, store_url, poll_seconds=3600)
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while event_count(store_url) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling a condition with a deadline, not sleeping in place of it
    finally:
        loop.stop()
    assert event_count(store_url) == 0
