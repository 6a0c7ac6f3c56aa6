"""The gateway in-process (FastAPI TestClient) on a fresh database, with no Rasa running:
what the gateway does by itself — persist first, screen, fail safe — is tested here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.stack import free_port


@pytest.fixture
def database_url(demo_database_url: str) -> str:
    return demo_database_url


@pytest.fixture
def gateway(database_url: str) -> Iterator[TestClient]:
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens: the bot is down
    settings = Settings(
        assistant_env="test",
        database_url=database_url,
        rasa_url=nowhere,
        bot_outage_hold_seconds=0,  # the bot has been out longer than the hold: hand-offs at once
        action_server_url=nowhere,
        rasa_timeout_seconds=2,
    )
    with TestClient(create_app(settings)) as client:
        yield client
