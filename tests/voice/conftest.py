"""The gateway in-process with the real twilio library signing every voice webhook, a
local fake Twilio API for the texts a call leads to, and a fake Rasa whose answers (and
slowness) the test decides.  The real model is exercised in tests/e2e/test_voice.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api.main import create_app
from assistant.config import Settings
from tests.support.fake_rasa import FakeRasa
from tests.support.fake_twilio import FakeTwilio
from tests.support.sms_gateway import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL
from tests.support.voice_caller import Caller


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa().start()
    yield fake
    fake.stop()


@pytest.fixture
def database_url(demo_database_url: str) -> str:
    return demo_database_url


@pytest.fixture
def voice_settings(database_url: str, fake_twilio: FakeTwilio, fake_rasa: FakeRasa) -> Settings:
    return Settings(
        assistant_env="test",
        database_url=database_url,
        rasa_url=fake_rasa.url,
        action_server_url=fake_rasa.url,
        rasa_timeout_seconds=5,
        public_base_url=PUBLIC_BASE_URL,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_base_url=fake_twilio.url,
        twilio_timeout_seconds=1.0,
        voice_reply_budget_seconds=0.3,
    )


@pytest.fixture
def gateway(voice_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(voice_settings)) as client:
        yield client


@pytest.fixture
def call(gateway: TestClient) -> Callable[..., Caller]:
    def _call(from_number: str | None = "+15555557001", to_number: str = "+15555550100") -> Caller:
        return Caller(gateway, AUTH_TOKEN, PUBLIC_BASE_URL, ACCOUNT_SID, from_number, to_number)

    return _call
