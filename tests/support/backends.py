"""`database_url` on both stores: SQLite (the demo's) and PostgreSQL (production's, which
refuses what SQLite stores: NUL characters, integers beyond 32 bits in INTEGER columns).

Bind the fixtures in a test module to run each of its tests once per backend:

    database_url = backends.database_url
    postgres_demo_template = backends.postgres_demo_template

PostgreSQL runs when TEST_POSTGRES_URL is set (CI sets it, and REQUIRE_POSTGRES=1 makes a
missing server an error); each test gets a clone of a
migrated demo database built once per module.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.demo import load_demo_data
from assistant.store.engine import get_engine, session_scope
from tests.support.databases import (
    build_postgres_template,
    create_postgres_database,
    drop_postgres_database,
    postgres_server_url,
)
from tests.support.databases import database_url as url_on_server


@pytest.fixture(scope="module")
def postgres_demo_template() -> Iterator[str]:
    server = postgres_server_url()
    name = build_postgres_template(server)
    url = url_on_server(server, name)
    with session_scope(url) as session:
        load_demo_data(session)
    get_engine(url).dispose()  # PostgreSQL copies a template only when nobody is connected
    yield name
    drop_postgres_database(server, name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, demo_database_url: str) -> Iterator[str]:
    if request.param == "sqlite":
        yield demo_database_url
        return
    server = postgres_server_url()
    name = create_postgres_database(server, template=request.getfixturevalue("postgres_demo_template"), prefix="test")
    url = url_on_server(server, name)
    yield url
    get_engine(url).dispose()
    drop_postgres_database(server, name)
