"""Rasa's tracker store lives beside the store (PostgreSQL: the same database, its own table;
SQLite: a sibling file with its own write lock), and the two never clash."""

from __future__ import annotations

import secrets
import sqlite3
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, pool, select

from assistant.rasa_server import RasaServerConfigError, lock_store_endpoint, tracker_store_endpoint
from assistant.store import migrate
from assistant.store.models import Base
from assistant.store.tracker_events import RASA_TABLES, dialogue_database_url, not_a_rasa_table, tracker_events
from tests.rasa_env.conftest import RasaTrackerStore


def stored_turns(store_url: str, sender: str) -> int:
    engine = create_engine(dialogue_database_url(store_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            query = select(func.count()).where(
                tracker_events.c.sender_id == sender, tracker_events.c.type_name == "user"
            )
            return int(connection.scalar(query) or 0)
    finally:
        engine.dispose()


def test_store_tables_never_take_rasas_names() -> None:
    assert RASA_TABLES == {"events"}
    assert not RASA_TABLES & set(Base.metadata.tables)


def test_rasa_keeps_dialogue_state_beside_the_store(store_url: str, rasa_store: RasaTrackerStore) -> None:
    sender = f"conv-{secrets.token_hex(4)}"
    now = time.time()
    saved = rasa_store.save(sender, [(now - 60, "reschedule please"), (now, "2")])
    assert saved == {"tracker_store": "SQLTrackerStore", "lock_store": "InMemoryLockStore", "user_turns": 2}
    # The rows are where the gateway's retention job looks for them.
    assert stored_turns(store_url, sender) == 2
    # A second Rasa process (a restart) reads the same conversation back.
    assert rasa_store.count(sender)["user_turns"] == 2


def test_migrations_and_rasas_table_leave_each_other_alone(store_url: str, rasa_store: RasaTrackerStore) -> None:
    sender = f"conv-{secrets.token_hex(4)}"
    rasa_store.save(sender, [(time.time(), "hello")])
    migrate.upgrade(store_url)  # `assistant migrate` again: Rasa's table and rows stay
    assert stored_turns(store_url, sender) == 1
    one_database = dialogue_database_url(store_url) == store_url  # PostgreSQL; SQLite has a sibling file
    engine = create_engine(store_url, poolclass=pool.NullPool)
    try:
        assert ("events" in inspect(engine).get_table_names()) is one_database
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": not_a_rasa_table}
            )
            assert compare_metadata(context, Base.metadata) == []
            if one_database:
                # Without the filter, autogenerate would offer to drop Rasa's table: the filter matters.
                unfiltered = MigrationContext.configure(connection, opts={"compare_type": True})
                assert ("remove_table", "events") in [
                    (diff[0], diff[1].name)
                    for diff in compare_metadata(unfiltered, Base.metadata)
                    if diff[0] == "remove_table"
                ]
    finally:
        engine.dispose()


def test_on_sqlite_rasa_writes_a_sibling_file_in_wal_mode(tmp_path: Path) -> None:
    endpoint, env = tracker_store_endpoint(f"sqlite:///{tmp_path / 'store.db'}")
    dialogue = tmp_path / "store-dialogue.db"
    assert endpoint == {"type": "SQL", "dialect": "sqlite", "db": str(dialogue), "query": {"timeout": "15"}}
    assert env == {}
    connection = sqlite3.connect(dialogue)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        connection.close()


def test_redis_lock_store_when_redis_url_is_set(store_url: str, redis_url: str, tmp_path: Path) -> None:
    rasa = RasaTrackerStore(store_url, redis_url, tmp_path / "rasa")
    sender = f"conv-{secrets.token_hex(4)}"
    result = rasa.save(sender, [(time.time(), "hello")])
    assert result["lock_store"] == "RedisLockStore" and result["tracker_store"] == "SQLTrackerStore"
    assert result["lock_key_prefix"] == "frontdesk:lock:"  # ours, not Rasa's fallback for a rejected prefix


def test_postgresql_url_becomes_rasas_psycopg2_settings_without_the_password_on_disk() -> None:
    endpoint, env = tracker_store_endpoint("postgresql+psycopg://front:s3cr%40t@db.internal:6543/desk?sslmode=require")
    assert endpoint == {
        "type": "SQL",
        "dialect": "postgresql",
        "db": "desk",
        "url": "db.internal",
        "port": 6543,
        "username": "front",
        "password": "${RASA_TRACKER_STORE_PASSWORD}",
        "query": {"sslmode": "require"},
    }
    assert env == {"RASA_TRACKER_STORE_PASSWORD": "s3cr@t"}


def test_redis_url_becomes_rasas_lock_store_settings() -> None:
    endpoint, env = lock_store_endpoint("rediss://:pw@cache.internal:6380/2")
    assert endpoint == {
        "type": "redis",
        "url": "cache.internal",
        "port": 6380,
        "db": 2,
        "key_prefix": "frontdesk",
        "use_ssl": True,
        "password": "${RASA_LOCK_STORE_PASSWORD}",
    }
    assert env == {"RASA_LOCK_STORE_PASSWORD": "pw"}
    assert lock_store_endpoint(None) == (None, {})


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "mysql://u@h/db"])
def test_databases_rasa_cannot_share_are_refused(url: str) -> None:
    with pytest.raises(RasaServerConfigError):
        tracker_store_endpoint(url)
