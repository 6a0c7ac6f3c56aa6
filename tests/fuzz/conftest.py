"""Fixtures for the fuzz tests: each test module gets its own freshly migrated demo
database and its own gateway app, once on SQLite (the demo's store) and once on PostgreSQL
(production's; it refuses NUL characters, over-long strings and out-of-range integers that
SQLite stores).  The fuzz requests reach the app in-process (schemathesis starts and stops
the app's lifespan around each operation's test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from assistant.api.main import create_app
from assistant.demo import load_demo_data
from assistant.store.engine import get_engine, session_scope
from assistant.store.migrate import upgrade
from tests.fuzz.examples import Store
from tests.fuzz.harness import app_settings
from tests.support.databases import (
    create_postgres_database,
    database_url,
    drop_postgres_database,
    postgres_server_url,
)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module")
def empty_fuzz_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'front-desk.db'}"
        return
    server_url = postgres_server_url()
    name = create_postgres_database(server_url, prefix="fuzz")
    try:
        yield database_url(server_url, name)
    finally:
        drop_postgres_database(server_url, name)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "empty_fuzz_database" in metafunc.fixturenames:
        metafunc.parametrize("empty_fuzz_database", BACKENDS, indirect=True, scope="module")


@pytest.fixture(scope="module")
def fuzz_database_url(empty_fuzz_database: str) -> Iterator[str]:
    """A fresh database for this module and backend, migrated and loaded with the demo practice."""
    url = empty_fuzz_database
    upgrade(url)
    with session_scope(url) as session:
        load_demo_data(session)
    yield url
    get_engine(url).dispose()


@pytest.fixture(scope="module")
def fuzz_app(fuzz_database_url: str) -> FastAPI:
    app = create_app(app_settings(fuzz_database_url))
    # An event stream answers with what it has and ends, instead of polling for minutes.
    app.state.chat_stream_max_seconds = 0
    app.state.chat_stream_poll_seconds = 0
    return app


@pytest.fixture(scope="module")
def store(fuzz_database_url: str) -> Store:
    return Store(fuzz_database_url)
