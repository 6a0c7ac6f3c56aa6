"""Twilio webhook inputs that used to be stored as sent or parsed whatever their size:
control characters never reach the store, and an oversized body is refused (413) before
anything reads it, chunked or not.  (A real server's chunked framing: tests/api/test_json_logs.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import func, select
from starlette.requests import Request

from assistant.api.body_limit import TWILIO_MAX_BODY_BYTES
from assistant.sms_cli import twilio_form
from assistant.store.engine import session_scope
from assistant.store.models import Conversation, Message
from tests.support import backends
from tests.support.sms_gateway import ACCOUNT_SID, PRACTICE_NUMBER, Texter

# Each test runs on SQLite and on PostgreSQL (which refuses what SQLite stores).
database_url = backends.database_url
postgres_demo_template = backends.postgres_demo_template

TEXTER = "+15555559876"
HUGE = 2_700_000  # bytes


def _inbound(database_url: str, sid: str) -> Message | None:
    with session_scope(database_url) as session:
        return session.scalars(select(Message).where(Message.external_id == sid)).first()


def _message_count(database_url: str) -> int:
    with session_scope(database_url) as session:
        return session.scalar(select(func.count()).select_from(Message))


@pytest.fixture
def body_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths whose request body some code (form or JSON parser, a route) started to read."""
    reads: list[str] = []
    original = Request.stream

    def recording_stream(self: Request) -> AsyncIterator[bytes]:
        reads.append(self.url.path)
        return original(self)

    monkeypatch.setattr(Request, "stream", recording_stream)
    return reads


def test_a_signed_text_with_control_characters_is_stored_without_them(texter: Texter, database_url: str) -> None:
    form = texter.text(
        TEXTER,
        "can i\x00 move\x1b my\r\nappt\x7f",
        NumMedia="1",
        MediaUrl0="https://api.twilio.com/media/1\x00",
        MediaContentType0="image/jpeg\x00",
    )
    stored = _inbound(database_url, form["MessageSid"])
    assert stored is not None
    assert stored.text == "can i move my\nappt"
    assert stored.media == [{"url": "https://api.twilio.com/media/1", "content_type": "image/jpeg"}]


@pytest.mark.parametrize("field", ["MessageSid", "From", "To"])
@pytest.mark.parametrize("bad", ["\x00", "\n", "\u00b9"])
def test_ids_and_numbers_with_anything_odd_are_400(texter: Texter, database_url: str, field: str, bad: str) -> None:
    form = twilio_form(from_number=TEXTER, to_number=PRACTICE_NUMBER, body="hi", account_sid=ACCOUNT_SID)
    form[field] += bad
    if field == "MessageSid":
        form["SmsSid"] = form["SmsMessageSid"] = form["MessageSid"]
    before = _message_count(database_url)
    assert texter.post(form).status_code == 400
    assert _message_count(database_url) == before
    with session_scope(database_url) as session:
        assert session.scalars(select(Conversation).where(Conversation.address.like("%\n%"))).first() is None


@pytest.mark.parametrize("count", ["\u00b9", "1.5", "-1", "9" * 40])
def test_num_media_that_is_not_a_plain_number_is_400(texter: Texter, count: str) -> None:
    form = twilio_form(from_number=TEXTER, to_number=PRACTICE_NUMBER, body="hi", account_sid=ACCOUNT_SID)
    form["NumMedia"] = count
    assert texter.post(form).status_code == 400


def _chunks(size: int) -> Iterator[bytes]:
    prefix = b"From=%2B15555559876&To=%2B15555550100&MessageSid=SM" + b"0" * 32 + b"&Body="
    yield prefix
    sent = len(prefix)
    while sent < size:
        piece = b"a" * min(64 * 1024, size - sent)
        sent += len(piece)
        yield piece


@pytest.mark.parametrize("path", ["/twilio/sms", "/twilio/status"])
def test_a_chunked_multi_megabyte_webhook_is_413_before_anything_parses_it(
    texter: Texter, database_url: str, body_reads: list[str], path: str
) -> None:
    before = _message_count(database_url)
    response = texter.gateway.post(
        path,
        content=_chunks(HUGE),  # a generator: sent chunked
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "irrelevant"},
    )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert str(TWILIO_MAX_BODY_BYTES) in response.json()["detail"]
    assert body_reads == []  # no parser, dependency or route saw any of it
    assert _message_count(database_url) == before


def test_a_declared_length_over_the_cap_is_413_at_once(texter: Texter, body_reads: list[str]) -> None:
    response = texter.gateway.post(
        "/twilio/sms",
        content=b"Body=" + b"a" * TWILIO_MAX_BODY_BYTES,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert int(response.request.headers["content-length"]) > TWILIO_MAX_BODY_BYTES
    assert response.status_code == 413
    assert body_reads == []


def test_a_real_webhook_under_the_cap_is_still_read(texter: Texter, body_reads: list[str]) -> None:
    texter.text(TEXTER, "\U0001f600" * 1600)  # the longest text Twilio delivers, 4-byte characters
    assert "/twilio/sms" in body_reads  # the probe above sees reads when there are any
