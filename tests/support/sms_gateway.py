"""Texting the gateway in-process (FastAPI's TestClient), with the real twilio library:
webhooks signed as Twilio signs them, and waiting until every text is handled and sent."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

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
