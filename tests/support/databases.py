"""Migrate once, copy per test: every test still gets its own fresh database.

Running the migrations and loading the demo practice took about 0.6 s per test; a
copy takes a few milliseconds.  SQLite templates are copied with SQLite's backup
API (consistent even in WAL mode); PostgreSQL databases are cloned with
`CREATE DATABASE ... TEMPLATE`.  Templates are built once per test session, so
the demo data's "two days from now" still means two days from this run.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from assistant.demo import load_demo_data
from assistant.store.engine import get_engine, session_scope
from assistant.store.migrate import upgrade


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def build_sqlite_template(path: Path, *, with_demo: bool) -> Path:
    """A migrated SQLite database (with the demo practice if asked) to copy from."""
    url = sqlite_url(path)
    upgrade(url)
    if with_demo:
        with session_scope(url) as session:
            load_demo_data(session)
    get_engine(url).dispose()  # nothing of the template stays open in this process
    return path


def copy_sqlite(template: Path, target: Path) -> str:
    """A new SQLite database at `target` with the template's content; returns its URL."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(template)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    return sqlite_url(target)


def postgres_server_url() -> str:
    """TEST_POSTGRES_URL, or skip the test (fail instead when REQUIRE_POSTGRES=1, as in CI)."""
    server = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if server:
        return server
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set", pytrace=False)
    pytest.skip("TEST_POSTGRES_URL is not set")


def admin_engine(server_url: str) -> Engine:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    return create_engine(server_url, isolation_level="AUTOCOMMIT")


def database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def create_postgres_database(server_url: str, *, template: str | None = None, prefix: str = "test") -> str:
    """A new database on the server (a copy of `template` if given); returns its name."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    clause = f' TEMPLATE "{template}"' if template else ""
    admin = admin_engine(server_url)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    finally:
        admin.dispose()
    return name


def drop_postgres_database(server_url: str, name: str) -> None:
    admin = admin_engine(server_url)
    try:
        with admin.connect() as connection:
            # FORCE: a test that failed midway may still hold connections.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def build_postgres_template(server_url: str) -> str:
    """A migrated PostgreSQL database to clone from; no connection to it is left open
    (PostgreSQL refuses to copy a template somebody is connected to)."""
    name = create_postgres_database(server_url, prefix="template")
    url = database_url(server_url, name)
    upgrade(url)
    get_engine(url).dispose()
    return name
