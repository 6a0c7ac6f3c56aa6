"""Actions run in-process with real rasa_sdk trackers against a fresh migrated database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.config import get_settings
from assistant.demo import load_demo_data
from assistant.store.engine import session_scope
from assistant.store.migrate import upgrade


@pytest.fixture
def database_url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'actions.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ASSISTANT_ENV", "test")
    get_settings.cache_clear()
    upgrade(url)
    with session_scope(url) as session:
        load_demo_data(session)
    yield url
    get_settings.cache_clear()


