"""The bench's throwaway database: SQLite in the run's directory, or, with
BENCH_POSTGRES_URL set (a server URL the bench may create databases on), a fresh
PostgreSQL database dropped afterwards, to read the figures on the production store."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

POSTGRES_SERVER_VARIABLE = "BENCH_POSTGRES_URL"


def _on_server(server_url: str, statement: str) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction.
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


@contextmanager
def throwaway_database(workdir: Path, server_url: str | None = None) -> Iterator[str]:
    """A database URL nobody else uses, gone (PostgreSQL) or left in `workdir` afterwards.

    `server_url`: the PostgreSQL server to create it on (default: BENCH_POSTGRES_URL; empty: SQLite)."""
    server_url = os.environ.get(POSTGRES_SERVER_VARIABLE, "") if server_url is None else server_url
    if not server_url:
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    name = f"front_desk_bench_{secrets.token_hex(6)}"
    _on_server(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        # FORCE: the bench's own engines still hold pooled connections to it.
        _on_server(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def describe(database_url: str) -> str:
    """Which store the figures were taken on (never the URL: it may carry a password)."""
    return "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
