"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest

from assistant.demo import load_demo_data
from assistant.store.engine import session_scope
from assistant.store.migrate import upgrade


@pytest.fixture
def demo_database_url(tmp_path) -> str:
    """A fresh SQLite database for this test, migrated and loaded with the demo practice."""
    url = f"sqlite:///{tmp_path / 'front-desk.db'}"
    upgrade(url)
    with session_scope(url) as session:
        load_demo_data(session)
    return url
