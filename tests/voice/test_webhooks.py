"""Voice webhooks in-process: signatures, bad input, and callbacks Twilio repeats or
delivers out of order (each applied once, never backwards)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.store.engine import session_scope
from assistant.store.models import (
    Call,
    CallStage,
    Conversation,
    HandoffReason,
    HandoffTicket,
    Message,
    Practice,
    SmsOptOut,
)
from tests.support.sms_gateway import AUTH_TOKEN, PUBLIC_BASE_URL
from tests.support.twilio import sign
from tests.support.voice_caller import Caller

ENDPOINTS = [
    "/twilio/voice",
    "/twilio/voice/gather?turn=1",
    "/twilio/voice/status",
    "/twilio/voice/dial-result?target=front_desk",
    "/twilio/voice/recording?event=recorded",
    "/twilio/voice/recording?event=transcribed",
]


def _counts(database_url: str) -> tuple[int, int, int]:
    with session_scope(database_url) as session:
        return (
            session.scalar(select(func.count()).select_from(Call)) or 0,
            session.scalar(select(func.count()).select_from(Conversation)) or 0,
            session.scalar(select(func.count()).select_from(Message)) or 0,
        )


def _row(database_url: str, caller: Caller) -> Call:
    with session_scope(database_url) as session:
        row = session.scalars(select(Call).where(Call.call_sid == caller.call_sid)).one()
        session.expunge(row)
        return row


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("signature", ["", "wrong", "tampered"])
def test_unsigned_or_tampered_webhooks_are_refused_and_change_nothing(
    gateway: TestClient, database_url: str, call: Callable[..., Caller], path: str, signature: str
) -> None:
    caller = call()
    caller.ring()
    before = _counts(database_url)
    form = caller.fields(SpeechResult="cancel my session", CallStatus="completed", RecordingSid="RE" + "1" * 32)
    if signature == "tampered":  # signed, then the caller's words changed on the way
        signature = sign(AUTH_TOKEN, f"{PUBLIC_BASE_URL}{path}", form)
        form = {**form, "SpeechResult": "something else"}
    response = gateway.post(path, data=form, headers={"X-Twilio-Signature": signature} if signature else {})
    assert response.status_code == 403
    assert _counts(database_url) == before


def test_a_signature_for_another_url_is_refused(gateway: TestClient, call: Callable[..., Caller]) -> None:
    caller = call()
    form = caller.fields()
    signature = sign(AUTH_TOKEN, f"{PUBLIC_BASE_URL}/twilio/voice/status", form)
    response = gateway.post("/twilio/voice", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_an_incoming_call_webhook_twice_is_one_call(database_url: str, call: Callable[..., Caller]) -> None:
    caller = call()
    caller.ring()
    before = _counts(database_url)
    again = caller.ring()
    assert again.has("Gather")
    assert _counts(database_url) == before


def test_one_turn_posted_twice_is_answered_once(database_url: str, call: Callable[..., Caller], fake_rasa) -> None:
    caller = call()
    caller.ring()
    action = caller.next_action
    first = caller.say("whats your address")
    caller.next_action = action  # Twilio retried the same turn
    second = caller.say("whats your address")
    assert first.has("Gather") and second.has("Gather")
    assert fake_rasa.heard.count("whats your address") == 1
    with session_scope(database_url) as session:
        conversation_id = _row(database_url, caller).conversation_id
        inbound = session.scalars(
            select(Message).where(Message.conversation_id == conversation_id, Message.external_id.like("CA%"))
        ).all()
    assert len(inbound) == 1


def test_status_callbacks_apply_once_and_never_go_backwards(database_url: str, call: Callable[..., Caller]) -> None:
    caller = call("+15555557002")
    caller.ring()
    caller.hang_up("completed", duration="7")
    caller.hang_up("in-progress", duration="")  # a late, out-of-order report
    caller.hang_up("completed", duration="99")  # a repeat
    row = _row(database_url, caller)
    assert row.stage is CallStage.ENDED and row.twilio_status == "completed" and row.duration_seconds == 7
    with session_scope(database_url) as session:
        texts = session.scalars(select(Message.text).where(Message.text.like("%missed your call%"))).all()
    assert len(texts) == 1


def test_a_status_callback_for_another_account_is_refused(gateway: TestClient, call: Callable[..., Caller]) -> None:
    caller = call()
    caller.ring()
    form = caller.fields(CallStatus="completed", AccountSid="AC" + "9" * 32)
    signature = sign(AUTH_TOKEN, f"{PUBLIC_BASE_URL}/twilio/voice/status", form)
    assert gateway.post("/twilio/voice/status", data=form, headers={"X-Twilio-Signature": signature}).status_code == 403


def test_an_opted_out_number_gets_no_missed_call_text(database_url: str, call: Callable[..., Caller]) -> None:
    with session_scope(database_url) as session:
        practice_id = session.scalars(select(Practice.id).where(Practice.phone_e164 == "+15555550100")).one()
        session.add(SmsOptOut(practice_id=practice_id, phone_e164="+15555557003", source="keyword", keyword="STOP"))
    caller = call("+15555557003")
    caller.ring()
    caller.hang_up("no-answer", duration="0")
    assert _row(database_url, caller).missed_text_sent_at is None
    with session_scope(database_url) as session:
        assert not session.scalars(select(Message.text).where(Message.text.like("%missed your call%"))).all()


def test_a_withheld_number_is_never_texted(database_url: str, call: Callable[..., Caller]) -> None:
    caller = call(None)
    caller.ring()
    caller.hang_up("completed", duration="2")
    row = _row(database_url, caller)
    assert row.from_number is None and row.missed_text_sent_at is None


def test_voicemail_callbacks_twice_make_one_ticket_and_one_message(
    database_url: str, call: Callable[..., Caller]
) -> None:
    caller = call("+15555557004")
    caller.ring()
    caller.press("0")  # a person: the demo practice is not always open, so a transfer or a message
    if caller.next_action.startswith("/twilio/voice/dial-result"):
        caller.dial_ends("busy")
    action = caller.next_action
    caller.leave_message("please call me back", seconds="9")
    caller.next_action = action
    caller.leave_message("please call me back", seconds="9")  # a different RecordingSid: Twilio retried
    row = _row(database_url, caller)
    with session_scope(database_url) as session:
        tickets = session.scalars(
            select(HandoffTicket).where(HandoffTicket.conversation_id == row.conversation_id)
        ).all()
        voicemails = session.scalars(
            select(Message).where(
                Message.conversation_id == row.conversation_id, Message.external_id.like("voicemail:%")
            )
        ).all()
    assert [ticket.reason for ticket in tickets] == [HandoffReason.CALLBACK]
    assert len(voicemails) == 1 and voicemails[0].text == "Voicemail: please call me back"


def test_a_recording_url_that_is_not_twilios_is_never_kept(database_url: str, call: Callable[..., Caller]) -> None:
    caller = call("+15555557005")
    caller.ring()
    caller.press("0")
    if caller.next_action.startswith("/twilio/voice/dial-result"):
        caller.dial_ends("no-answer")
    caller.post(
        caller.next_action,
        caller.fields(
            RecordingSid="RE" + "2" * 32, RecordingUrl="http://169.254.169.254/latest/meta-data", RecordingDuration="5"
        ),
    )
    row = _row(database_url, caller)
    assert row.recording_url is None and row.recording_sid == "RE" + "2" * 32


@pytest.mark.parametrize(
    "extra",
    [
        {"Digits": "1" * 40},
        {"Digits": "１２"},  # full-width digits
        {"SpeechResult": "a" * 2001},
    ],
)
def test_bad_caller_input_is_a_clear_4xx(
    gateway: TestClient, call: Callable[..., Caller], extra: dict[str, str]
) -> None:
    caller = call()
    caller.ring()
    form = caller.fields(**extra)
    path = "/twilio/voice/gather?turn=1"
    response = gateway.post(
        path, data=form, headers={"X-Twilio-Signature": sign(AUTH_TOKEN, f"{PUBLIC_BASE_URL}{path}", form)}
    )
    assert response.status_code in (400, 413)


def test_a_turn_number_out_of_range_is_refused(gateway: TestClient, call: Callable[..., Caller]) -> None:
    caller = call()
    caller.ring()
    form = caller.fields(SpeechResult="hi")
    path = "/twilio/voice/gather?turn=99999999999999999999"
    response = gateway.post(
        path, data=form, headers={"X-Twilio-Signature": sign(AUTH_TOKEN, f"{PUBLIC_BASE_URL}{path}", form)}
    )
    assert response.status_code == 422


def test_a_turn_for_an_unknown_call_is_404(gateway: TestClient, call: Callable[..., Caller]) -> None:
    caller = call()
    form = caller.fields(SpeechResult="hi")
    path = "/twilio/voice/gather?turn=1"
    response = gateway.post(
        path, data=form, headers={"X-Twilio-Signature": sign(AUTH_TOKEN, f"{PUBLIC_BASE_URL}{path}", form)}
    )
    assert response.status_code == 404
