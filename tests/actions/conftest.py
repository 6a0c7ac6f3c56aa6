"""Actions run in-process with real rasa_sdk trackers against a fresh migrated database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.config import get_settings


@pytest.fixture
def database_url(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The demo database, also as the process's DATABASE_URL: actions read settings."""
    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    monkeypatch.setenv("ASSISTANT_ENV", "test")
    get_settings.cache_clear()
    yield demo_database_url
    get_settings.cache_clear()
