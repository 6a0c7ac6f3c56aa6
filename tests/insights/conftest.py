"""Small hand-built histories with known answers, on a fresh migrated database per test:
SQLite always, PostgreSQL when TEST_POSTGRES_URL is set (the metrics' SQL differs by dialect)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from assistant.store.engine import get_engine
from tests.insights.history import History
from tests.support.databases import (
    build_postgres_template,
    copy_sqlite,
    create_postgres_database,
    database_url,
    drop_postgres_database,
    postgres_server_url,
)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def insights_postgres_template() -> Iterator[str]:
    server_url = postgres_server_url()
    name = build_postgres_template(server_url)
    try:
        yield name
    finally:
        drop_postgres_database(server_url, name)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield copy_sqlite(request.getfixturevalue("migrated_template"), tmp_path / "insights.db")
        return
    server_url = postgres_server_url()
    name = create_postgres_database(server_url, template=request.getfixturevalue("insights_postgres_template"))
    try:
        yield database_url(server_url, name)
    finally:
        get_engine(database_url(server_url, name)).dispose()
        drop_postgres_database(server_url, name)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with Session(get_engine(db_url), expire_on_commit=False) as session:
        yield session
        session.rollback()


@pytest.fixture
def history(session: Session) -> History:
    return History.start(session)
