"""Engine and sessions, created lazily once per process and database URL.

Two kinds of unit of work:

    session_scope  may write.  On SQLite it begins IMMEDIATE: the write lock up front, so
                   two writers queue on busy_timeout instead of one failing halfway through.
    read_scope     only reads, and is refused any write (SQLite `PRAGMA query_only`,
                   PostgreSQL READ ONLY).  On SQLite it begins DEFERRED: in WAL mode a
                   reader never waits for the write lock, so the event streams, the chat
                   session check and console reads do not queue behind the writers.

A deferred transaction that later tries to write can fail at once with SQLITE_BUSY (its
snapshot is older than another writer's commit) rather than wait, which is why only work
that never writes gets a read scope.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from assistant.config import get_settings
from assistant.store.notify import announce_changes


# Listened for on SQLite engines only, whose DB-API driver is the standard library's sqlite3.
def _configure_sqlite_connection(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # pysqlite never sends BEGIN itself, so a SAVEPOINT would open (and its release
    # commit) the outer transaction; we take over transaction control instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    # WAL lets the gateway, the action server and the CLI read while one of them writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


READ_ONLY = "assistant_read_only"  # execution option of read_scope's connections
READ_ONLY_SQL_TRANSACTION = "25006"  # PostgreSQL's SQLSTATE for a write in a READ ONLY transaction


def _begin(connection: Connection) -> None:
    # Writers take the write lock up front: two writers racing then queue on busy_timeout
    # instead of one failing with "database is locked" halfway through.  Readers begin
    # DEFERRED and may not write (query_only is per connection: set on every begin).
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("PRAGMA query_only=ON")
        connection.exec_driver_sql("BEGIN DEFERRED")
    else:
        connection.exec_driver_sql("PRAGMA query_only=OFF")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@lru_cache(maxsize=8)
def _session_factory(url: str | None) -> sessionmaker[Session]:
    factory = sessionmaker(bind=get_engine(url), expire_on_commit=False)
    if factory.kw["bind"].dialect.name == "postgresql":
        announce_changes(factory)  # live screens wake on NOTIFY (store/notify.py)
    return factory


@lru_cache(maxsize=8)
def _read_session_factory(url: str) -> sessionmaker[Session]:
    engine = get_engine(url)
    # Same pool as the writers; only these connections' transactions are read-only.
    options = {"postgresql_readonly": True} if engine.dialect.name == "postgresql" else {READ_ONLY: True}
    return sessionmaker(bind=engine.execution_options(**options), expire_on_commit=False)


@contextmanager
def read_scope(url: str | None = None) -> Iterator[Session]:
    """A unit of work that only reads (see the module docstring); always rolled back."""
    session = _read_session_factory(url or get_settings().database_url)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def is_read_only_violation(error: DBAPIError) -> bool:
    """A read_scope's transaction tried to write (SQLite query_only, PostgreSQL READ ONLY)."""
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        return "readonly database" in str(original)
    return getattr(original, "sqlstate", None) == READ_ONLY_SQL_TRANSACTION


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = _session_factory(url or get_settings().database_url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
