"""Actions run in-process with real rasa_sdk trackers against a fresh migrated database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.config import get_settings


def as_process_database(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """`url`, also as the process's DATABASE_URL for the test: actions read settings."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ASSISTANT_ENV", "test")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def database_url(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The demo database, as the process's DATABASE_URL."""
    yield from as_process_database(demo_database_url, monkeypatch)
