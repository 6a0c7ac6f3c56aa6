"""The gateway in-process with the real twilio library on both sides: webhooks signed
with `RequestValidator`, texts sent by `twilio.rest.Client` to a local fake Twilio API.
No Rasa runs here, so anything that reaches the bot gets the honest "trouble" reply."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.sms_cli import twilio_form
from assistant.stack import free_port
from assistant.store.engine import session_scope
from assistant.store.models import Direction, Message, MessageStatus
from tests.support.fake_twilio import FakeTwilio

PUBLIC_BASE_URL = "https://frontdesk.lakeside.example"  # what Twilio signs; we sit behind a proxy
AUTH_TOKEN = "test-auth-token-0123456789"
ACCOUNT_SID = "AC" + "1" * 32
PRACTICE_NUMBER = "+15555550100"


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


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
    return Settings(assistant_env="test", database_url=database_url, rasa_url=nowhere,
                    action_server_url=nowhere, rasa_timeout_seconds=2, public_base_url=PUBLIC_BASE_URL,
                    twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
                    twilio_api_base_url=fake_twilio.url, twilio_timeout_seconds=1.0,
                    sms_rate_limit_per_minute=8, redis_url=redis_url)


@pytest.fixture
def gateway(sms_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(sms_settings)) as client:
        yield client


@dataclass
class Texter:
    gateway: TestClient

    def post(self, form: dict[str, str], *, path: str = "/twilio/sms", signature: str | None = None,
             signed_url: str | None = None, headers: dict[str, str] | None = None):
        url = signed_url or f"{PUBLIC_BASE_URL}{path}"
        if signature is None:
            signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
        return self.gateway.post(path, data=form, headers={"X-Twilio-Signature": signature, **(headers or {})})

    def text(self, from_number: str, body: str, **extra: str):
        form = twilio_form(from_number=from_number, to_number=PRACTICE_NUMBER, body=body, account_sid=ACCOUNT_SID)
        form.update(extra)
        response = self.post(form)
        assert response.status_code == 200, response.text
        return form

    def settle(self, timeout: float = 15.0) -> None:
        """Wait until every accepted text is handled and the outbox has tried everything queued."""
        sms = self.gateway.app.state.sms
        assert sms.workers.wait_idle(timeout)
        sms.outbox.nudge()
        wait_until(lambda: untried_outbound(self.gateway.app.state.settings.database_url) == 0, timeout)


def untried_outbound(database_url: str) -> int:
    with session_scope(database_url) as session:
        return session.scalar(select(func.count()).select_from(Message).where(
            Message.direction == Direction.OUTBOUND, Message.status == MessageStatus.QUEUED,
            Message.external_id.is_(None), Message.attempts == 0))


@pytest.fixture
def texter(gateway: TestClient) -> Texter:
    return Texter(gateway)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
