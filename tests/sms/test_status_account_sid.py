"""Delivery reports count only for the practice's own Twilio account: matched on MessageSid
and AccountSid.  A signed report naming another account (or none) changes nothing: 403."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from assistant.api.main import create_app
from assistant.config import DEMO_TWILIO_ACCOUNT_SID, Settings
from assistant.store.models import MessageStatus
from tests.support.outbox import message, outbox_for, queue_text
from tests.support.sms_gateway import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL, Texter

OTHER_ACCOUNT = "AC" + "9" * 32


def _sent_text(settings: Settings) -> tuple[int, str]:
    message_id = queue_text(settings.database_url)
    outbox_for(settings).run_once()
    sent = message(settings.database_url, message_id)
    assert sent.external_id and sent.status in (MessageStatus.QUEUED, MessageStatus.SENT)
    return message_id, sent.external_id


def _report(texter: Texter, sid: str, account: str | None, status: str = "delivered") -> int:
    form = {"MessageSid": sid, "MessageStatus": status}
    if account is not None:
        form["AccountSid"] = account
    return texter.post(form, path="/twilio/status").status_code  # signed with the practice's token


@pytest.mark.parametrize("account", [OTHER_ACCOUNT, None, "", ACCOUNT_SID.lower(), ACCOUNT_SID + "0"])
def test_a_report_for_another_account_is_403_and_changes_nothing(
    sms_settings, texter: Texter, account: str | None
) -> None:
    message_id, sid = _sent_text(sms_settings)
    assert _report(texter, sid, account, "failed") == 403
    assert message(sms_settings.database_url, message_id).status is MessageStatus.QUEUED
    assert _report(texter, sid, ACCOUNT_SID, "delivered") == 204  # the real report still counts
    assert message(sms_settings.database_url, message_id).status is MessageStatus.DELIVERED


def test_the_account_is_checked_after_the_signature(sms_settings, texter: Texter) -> None:
    message_id, sid = _sent_text(sms_settings)
    form = {"MessageSid": sid, "MessageStatus": "failed", "AccountSid": ACCOUNT_SID}
    forged = RequestValidator("not-the-token").compute_signature(f"{PUBLIC_BASE_URL}/twilio/status", form)
    assert texter.post(form, path="/twilio/status", signature=forged).status_code == 403
    assert message(sms_settings.database_url, message_id).status is MessageStatus.QUEUED


@pytest.fixture
def demo_gateway(database_url: str) -> Iterator[tuple[Texter, Settings]]:
    """No Twilio account configured (demo): texts are recorded locally, not sent."""
    settings = Settings(
        assistant_env="test",
        database_url=database_url,
        public_base_url=PUBLIC_BASE_URL,
        twilio_auth_token=AUTH_TOKEN,
        twilio_account_sid="",
        rasa_url="http://127.0.0.1:9",
        bot_outage_hold_seconds=0,
        action_server_url="http://127.0.0.1:9",
        redis_url="",
    )
    with TestClient(create_app(settings)) as client:
        yield Texter(client), settings


def test_without_an_account_only_the_demo_placeholder_account_is_accepted(demo_gateway) -> None:
    texter, settings = demo_gateway
    message_id, sid = _sent_text(settings)
    assert sid.startswith("SMlocal")  # recorded locally: no real report can exist for it
    assert _report(texter, sid, OTHER_ACCOUNT) == 403
    assert _report(texter, sid, None) == 403
    assert message(settings.database_url, message_id).status is MessageStatus.SENT  # as recorded
    # `assistant say` names this placeholder account, so local tooling can still simulate one.
    assert _report(texter, sid, DEMO_TWILIO_ACCOUNT_SID) == 204
    assert message(settings.database_url, message_id).status is MessageStatus.DELIVERED
