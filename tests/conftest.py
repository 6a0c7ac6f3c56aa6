"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.databases import build_sqlite_template, copy_sqlite
from tests.support.fake_twilio import FakeTwilio


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated and loaded with the demo practice once per test session."""
    return build_sqlite_template(tmp_path_factory.mktemp("templates") / "demo.db", with_demo=True)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated to head, no data, once per test session."""
    return build_sqlite_template(tmp_path_factory.mktemp("templates") / "empty.db", with_demo=False)


@pytest.fixture
def demo_database_url(demo_template: Path, tmp_path: Path) -> str:
    """A fresh SQLite database for this test, migrated and loaded with the demo practice."""
    return copy_sqlite(demo_template, tmp_path / "front-desk.db")


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A local Twilio REST API for this test (texts sent, recordings fetched)."""
    fake = FakeTwilio().start()
    yield fake
    fake.stop()
