"""Old dialogue events are deleted by the gateway's retention job (plain SQL, no rasa import)."""

from __future__ import annotations

import datetime as dt
import secrets
import time

import pytest
import time_machine
from sqlalchemy import func, insert, select
from sqlalchemy.orm import sessionmaker

from assistant import cli
from assistant.config import get_settings
from assistant.services import tracker_retention
from assistant.services.tracker_retention import TrackerRetentionLoop, prune_tracker_events
from assistant.store.engine import get_engine
from assistant.store.tracker_events import rasa_metadata, tracker_events
from tests.rasa_env.conftest import RasaTrackerStore

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
RETENTION = dt.timedelta(days=30)


def ago(**delta: float) -> float:
    return (NOW - dt.timedelta(**delta)).timestamp()


def event_count(url: str) -> int:
    with get_engine(url).connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(tracker_events)) or 0)


def test_events_past_retention_are_deleted_and_rasa_still_reads_the_rest(
    store_url: str, rasa_store: RasaTrackerStore
) -> None:
    old, recent = f"conv-{secrets.token_hex(4)}", f"conv-{secrets.token_hex(4)}"
    rasa_store.save(old, [(ago(days=45), "hi"), (ago(days=30, seconds=1), "2")])
    rasa_store.save(recent, [(ago(days=29, hours=23), "hi"), (ago(hours=1), "yes")])
    factory = sessionmaker(bind=get_engine(store_url))
    with time_machine.travel(NOW, tick=False):  # the job reads the clock itself
        assert prune_tracker_events(factory, retention=RETENTION) == 2
        assert prune_tracker_events(factory, retention=RETENTION) == 0  # nothing more to do
    assert rasa_store.count(old)["user_turns"] == 0
    assert rasa_store.count(recent)["user_turns"] == 2


def test_the_command_uses_the_configured_retention(
    store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rasa_metadata.create_all(get_engine(store_url))  # the table as Rasa creates it
    with get_engine(store_url).begin() as connection:
        connection.execute(
            insert(tracker_events),
            [
                {"sender_id": "a", "type_name": "user", "timestamp": at}
                for at in (ago(days=8), ago(days=7, seconds=1), ago(days=6))
            ],
        )
    monkeypatch.setenv("DATABASE_URL", store_url)
    monkeypatch.setenv("TRACKER_RETENTION_DAYS", "7")
    get_settings.cache_clear()
    try:
        with time_machine.travel(NOW, tick=False):
            assert cli.main(["prune-trackers"]) == 0
    finally:
        get_settings.cache_clear()
    assert capsys.readouterr().out.strip() == "deleted 2 dialogue events older than 7 days"
    assert event_count(store_url) == 1


def test_large_backlogs_go_in_batches(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracker_retention, "BATCH", 3)
    rasa_metadata.create_all(get_engine(store_url))
    with get_engine(store_url).begin() as connection:
        rows = [{"sender_id": f"s{n}", "type_name": "user", "timestamp": ago(days=40, minutes=n)} for n in range(7)]
        connection.execute(
            insert(tracker_events), [*rows, {"sender_id": "new", "type_name": "user", "timestamp": ago()}]
        )
    factory = sessionmaker(bind=get_engine(store_url))
    assert prune_tracker_events(factory, retention=RETENTION, now=NOW) == 7
    assert event_count(store_url) == 1


def test_nothing_to_prune_before_rasa_has_run(store_url: str) -> None:
    factory = sessionmaker(bind=get_engine(store_url))
    assert prune_tracker_events(factory, retention=RETENTION, now=NOW) == 0


def test_the_gateways_loop_prunes_at_start_up(store_url: str) -> None:
    rasa_metadata.create_all(get_engine(store_url))
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=31)).timestamp()
    with get_engine(store_url).begin() as connection:
        connection.execute(insert(tracker_events), [{"sender_id": "a", "type_name": "user", "timestamp": old}])
    loop = TrackerRetentionLoop(RETENTION, store_url, poll_seconds=3600)
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while event_count(store_url) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling a condition with a deadline, not sleeping in place of it
    finally:
        loop.stop()
    assert event_count(store_url) == 0
