"""Rasa's tracker store beside the store: a fresh migrated database per test, SQLite always
(Rasa's events in a sibling file) and PostgreSQL when TEST_POSTGRES_URL is set (the same
database), plus a way to run Rasa's own code on it."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.rasa_server import write_endpoints
from assistant.store.engine import get_engine
from assistant.store.tracker_events import dialogue_database_url
from assistant.training import RASA_PYTHON, rasa_env
from tests.support.databases import (
    build_postgres_template,
    copy_sqlite,
    create_postgres_database,
    database_url,
    drop_postgres_database,
    postgres_server_url,
)

TRACKER_CHECK = Path(__file__).with_name("tracker_store_check.py")


@pytest.fixture(scope="session")
def rasa_env_postgres_template() -> Iterator[str]:
    server_url = postgres_server_url()
    name = build_postgres_template(server_url)
    try:
        yield name
    finally:
        drop_postgres_database(server_url, name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database at the migrations' head, which Rasa's tracker store then shares."""
    if request.param == "sqlite":
        url = copy_sqlite(request.getfixturevalue("migrated_template"), tmp_path / "store.db")
        yield url
        get_engine(url).dispose()
        get_engine(dialogue_database_url(url)).dispose()  # Rasa's events: a sibling file
        return
    server_url = postgres_server_url()
    name = create_postgres_database(server_url, template=request.getfixturevalue("rasa_env_postgres_template"))
    url = database_url(server_url, name)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        drop_postgres_database(server_url, name)


class RasaTrackerStore:
    """Rasa's own tracker and lock stores, built from the endpoints file rasa_server.py writes."""

    def __init__(self, database_url: str, redis_url: str | None, directory: Path) -> None:
        self.endpoints, self._secrets = write_endpoints(
            database_url=database_url, redis_url=redis_url, directory=directory
        )

    def start(self, mode: str, sender: str, *extra: str) -> subprocess.Popen[str]:
        env = rasa_env()
        env.update(self._secrets, ACTION_ENDPOINT_URL="http://127.0.0.1:9/webhook")
        return subprocess.Popen(
            [str(RASA_PYTHON), str(TRACKER_CHECK), mode, str(self.endpoints), sender, *extra],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    @staticmethod
    def result(process: subprocess.Popen[str]) -> dict[str, Any]:
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr[-3000:]
        result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
        return result

    def run(self, mode: str, sender: str, *extra: str) -> dict[str, Any]:
        return self.result(self.start(mode, sender, *extra))

    def save(self, sender: str, turns: list[tuple[float, str]]) -> dict[str, Any]:
        return self.run("save", sender, json.dumps(turns))

    def count(self, sender: str) -> dict[str, Any]:
        return self.run("count", sender)


@pytest.fixture
def rasa_store(store_url: str, tmp_path: Path) -> RasaTrackerStore:
    if not RASA_PYTHON.exists():
        pytest.skip("the Rasa environment (.venv-rasa) is missing")
    return RasaTrackerStore(store_url, None, tmp_path / "rasa")


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        pytest.skip("REDIS_URL is not set")
    return url
