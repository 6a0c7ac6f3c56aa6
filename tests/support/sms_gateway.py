"""Texting the gateway in-process (FastAPI's TestClient), with the real twilio library:
webhooks signed as Twilio signs them, and waiting until every text is handled and sent."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.config import Settings
from assistant.services.conversations import replies_after
from assistant.stack import free_port
from assistant.store.engine import session_scope
from assistant.store.models import Direction, Message, MessageStatus
from tests.support.twilio import PRACTICE_NUMBER, post_signed, text_form

PUBLIC_BASE_URL = "https://frontdesk.lakeside.example"  # what Twilio signs; we sit behind a proxy
AUTH_TOKEN = "test-auth-token-0123456789"
ACCOUNT_SID = "AC" + "1" * 32

__all__ = [
    "ACCOUNT_SID",
    "AUTH_TOKEN",
    "PRACTICE_NUMBER",
    "PUBLIC_BASE_URL",
    "Texter",
    "answered",
    "settings_with_bot",
    "untried_outbound",
    "wait_until",
]


@dataclass
class Texter:
    gateway: TestClient

    def post(
        self,
        form: dict[str, str],
        *,
        path: str = "/twilio/sms",
        signature: str | None = None,
        signed_url: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        return post_signed(
            self.gateway,
            form,
            auth_token=AUTH_TOKEN,
            path=path,
            signed_url=signed_url or f"{PUBLIC_BASE_URL}{path}",
            signature=signature,
            headers=headers,
        )

    def text(self, from_number: str, body: str, **extra: str) -> dict[str, str]:
        form = text_form(from_number, body, account_sid=ACCOUNT_SID)
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
        return session.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.direction == Direction.OUTBOUND,
                Message.status == MessageStatus.QUEUED,
                Message.external_id.is_(None),
                Message.attempts == 0,
            )
        )


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def settings_with_bot(database_url: str, twilio_url: str, redis_url: str, rasa_url: str) -> Settings:
    """The in-process gateway's settings with a bot at `rasa_url` (a FakeRasa)."""
    return Settings(
        assistant_env="test",
        database_url=database_url,
        rasa_url=rasa_url,
        action_server_url=f"http://127.0.0.1:{free_port()}",
        rasa_timeout_seconds=5,
        public_base_url=PUBLIC_BASE_URL,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_base_url=twilio_url,
        twilio_timeout_seconds=1.0,
        sms_rate_limit_per_minute=30,
        redis_url=redis_url,
    )


def answered(texter: Texter, database_url: str, number: str, body: str) -> tuple[str, list[str]]:
    """Text the practice: (the conversation's id, the texts it answered with)."""
    form = texter.text(number, body)
    texter.settle()
    with session_scope(database_url) as session:
        inbound = session.scalars(select(Message).where(Message.external_id == form["MessageSid"])).one()
        answers = [reply.text for reply in replies_after(session, inbound)]
        return inbound.conversation_id, list(answers)
