"""Fixtures for the fuzz tests: each test module gets its own freshly migrated demo
database and its own gateway app, once on SQLite (the demo's store) and once on PostgreSQL
(production's; it refuses NUL characters, over-long strings and out-of-range integers that
SQLite stores).  The fuzz requests reach the app in-process (schemathesis starts and stops
the app's lifespan around each operation's test)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assistant.api.main import create_app
from assistant.demo import load_demo_data
from assistant.store.engine import get_engine, session_scope
from assistant.store.migrate import upgrade
from tests.fuzz.examples import Store
from tests.fuzz.harness import app_settings


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _postgres_server_url() -> str:
    server = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if server:
        return server
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set", pytrace=False)
    pytest.skip("TEST_POSTGRES_URL is not set")


def _on_server(server_url: str, statement: str) -> None:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")  # no CREATE DATABASE in a transaction
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def empty_fuzz_database(request: pytest.FixtureRequest,
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'front-desk.db'}"
        return
    server_url = _postgres_server_url()
    name = f"fuzz_{secrets.token_hex(6)}"
    _on_server(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _on_server(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
