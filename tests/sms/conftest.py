"""The gateway in-process with the real twilio library on both sides: webhooks signed
with `RequestValidator`, texts sent by `twilio.rest.Client` to a local fake Twilio API.
No Rasa runs here, so anything that reaches the bot gets the honest "trouble" reply."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.stack import free_port
from tests.support.fake_twilio import FakeTwilio
from tests.support.sms_gateway import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL, Texter


@pytest.fixture
def database_url(demo_database_url: str) -> str:
    return demo_database_url


@pytest.fixture
def redis_url() -> str:
    """The real Redis when the environment has one (CI does), emptied for this test."""
    url = os.environ.get("REDIS_URL", "")
    if url:
        redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def sms_settings(database_url: str, fake_twilio: FakeTwilio, redis_url: str) -> Settings:
    nowhere = f"http://127.0.0.1:{free_port()}"
    return Settings(
        assistant_env="test",
        database_url=database_url,
        rasa_url=nowhere,
        bot_outage_hold_seconds=0,  # the bot has been out longer than the hold: hand-offs at once
        action_server_url=nowhere,
        rasa_timeout_seconds=2,
        public_base_url=PUBLIC_BASE_URL,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_base_url=fake_twilio.url,
        twilio_timeout_seconds=1.0,
        sms_rate_limit_per_minute=8,
        redis_url=redis_url,
    )


@pytest.fixture
def gateway(sms_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(sms_settings)) as client:
        yield client


@pytest.fixture
def texter(gateway: TestClient) -> Texter:
    return Texter(gateway)
