"""Texting the real running stack: signed webhooks in, replies read back from the store."""

from __future__ import annotations

import secrets
import time

import httpx
from sqlalchemy import select

from assistant.services.conversations import replies_after
from assistant.store.engine import session_scope
from assistant.store.models import Message, MessageStatus
from tests.support.stack import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, RunningStack
from tests.support.twilio import post_signed, text_form


def fresh_numbers(count: int, series: int) -> list[str]:
    """`count` mobile numbers no client has and no earlier run used, even on a reused
    database (E2E_DATABASE_URL): +1 555 <series> <random block> <n>.  Series 6, 7 and 8
    keep tests apart (9: callers); clients made by tests/support/clients.py use series 3."""
    assert count <= 100 and series in (6, 7, 8, 9)
    block = secrets.randbelow(10_000)
    return [f"+1555{series}{block:04d}{n:02d}" for n in range(count)]


def post_text(stack: RunningStack, from_number: str, body: str) -> dict[str, str]:
    form = text_form(from_number, body, account_sid=TWILIO_ACCOUNT_SID)
    url = f"{stack.url}/twilio/sms"
    with httpx.Client(timeout=30) as http:
        response = post_signed(http, form, auth_token=TWILIO_AUTH_TOKEN, path=url, signed_url=url)
    assert response.status_code == 200, response.text
    return form


def replies_to(stack: RunningStack, form: dict[str, str], timeout: float = 60) -> list[Message]:
    """The texts the practice queued after this inbound message, once it is handled and sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with session_scope(stack.database_url) as session:
            inbound = session.scalars(select(Message).where(Message.external_id == form["MessageSid"])).first()
            if inbound is not None and inbound.status is MessageStatus.PROCESSED:
                later = replies_after(session, inbound)
                if all(message.external_id for message in later):
                    return list(later)
        time.sleep(0.2)
    raise AssertionError("no handled reply in time")


def text(stack: RunningStack, from_number: str, body: str) -> str:
    return "\n".join(message.text for message in replies_to(stack, post_text(stack, from_number, body)))
