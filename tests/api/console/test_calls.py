"""Phone calls in the rep console: a call beside texts and chats in the queue and the
transcript, its recording played through the gateway (fetched from a fake Twilio API with
the account's credentials, never from anywhere else), and "Call back"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.api.main import create_app
from assistant.services.call_backs import record_call_back
from assistant.services.console import claim
from assistant.store.engine import session_scope
from assistant.store.models import (
    AuditEvent,
    Author,
    Call,
    Client,
    Conversation,
    ConversationState,
    Message,
    Rep,
    TicketState,
)
from tests.support.calls import CALLER_WORDS, LOW_CONFIDENCE, VOICEMAIL, StoredCall, recording_url, store_call
from tests.support.console import REP, Signed, make_settings, sign_in
from tests.support.fake_twilio import FAKE_MP3, Failure, FakeTwilio

ACCOUNT_SID = "AC" + "7" * 32
AUTH_TOKEN = "console-twilio-auth-token"
CALLER = "+15555550177"


@pytest.fixture
def app(database_url: str, fake_twilio: FakeTwilio) -> Iterator[FastAPI]:
    """The console's app (conftest's `browser`, `rep`, `admin` use it) with Twilio configured."""
    settings = make_settings(
        database_url,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_base_url=fake_twilio.url,
        twilio_timeout_seconds=0.5,
    )
    application = create_app(settings)
    with TestClient(application, base_url="http://localhost"):
        yield application


@pytest.fixture
def voicemail(database_url: str, fake_twilio: FakeTwilio) -> StoredCall:
    return store_call(database_url, from_number=CALLER, recording=recording_url(fake_twilio.url, ACCOUNT_SID))


def audit_actions(database_url: str, action: str) -> list[AuditEvent]:
    with session_scope(database_url) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- the queue and the transcript ---------------------------------------------------------


def test_a_call_is_in_the_queue_as_a_call_with_its_status_and_length(rep: Signed, voicemail: StoredCall) -> None:
    queue = rep.get("/api/rep/conversations").json()["conversations"]
    (item,) = [entry for entry in queue if entry["id"] == voicemail.conversation_id]
    assert item["channel"] == "voice"
    assert item["call"] == {"status": "voicemail", "duration_seconds": 95}
    assert item["ticket"]["reason"] == "callback" and item["ticket"]["priority"] == 1
    assert item["client"]["label"] == f"Unverified caller {CALLER}"
    assert VOICEMAIL not in rep.get("/api/rep/conversations").text  # metadata only


def test_the_transcript_view_has_the_call_and_never_twilios_url(rep: Signed, voicemail: StoredCall) -> None:
    response = rep.get(f"/api/rep/conversations/{voicemail.conversation_id}")
    assert response.status_code == 200
    detail = response.json()
    call = detail["call"]
    assert call["id"] == voicemail.call_id
    assert call["status"] == "voicemail"
    assert (call["from_number"], call["call_back_number"]) == (CALLER, CALLER)
    assert (call["duration_seconds"], call["dial_target"], call["dial_status"]) == (95, "front_desk", "no-answer")
    assert call["recording_path"] == f"/api/rep/calls/{voicemail.call_id}/recording"
    assert call["transcript"] == VOICEMAIL and call["called_back_at"] is None
    assert voicemail.recording_url is not None and voicemail.recording_url not in response.text
    (heard,) = [m for m in detail["messages"] if m["author"] == "client"]
    assert (heard["text"], heard["speech_confidence"]) == (CALLER_WORDS, LOW_CONFIDENCE)
    assert detail["client"]["mobile"] == CALLER
    assert detail["permissions"]["can_reply"] is False and detail["permissions"]["can_call_back"] is False


def test_calls_have_a_status_reps_understand(rep: Signed, database_url: str) -> None:
    missed = store_call(database_url, from_number=CALLER, recording=None)
    talking = store_call(database_url, from_number=CALLER, recording=None, ended=False, dial_status=None)
    answered = store_call(database_url, from_number=CALLER, recording=None, dial_status="completed")
    silent = store_call(database_url, from_number=CALLER, recording=None, dial_status=None)
    with session_scope(database_url) as session:
        hung_up_at_the_tone = session.get(Call, silent.call_id)
        assert hung_up_at_the_tone is not None
        hung_up_at_the_tone.recording_sid = f"none:{hung_up_at_the_tone.call_sid}"  # as the voice channel marks it

    def status(stored: StoredCall) -> str:
        return rep.get(f"/api/rep/conversations/{stored.conversation_id}").json()["call"]["status"]

    assert [status(missed), status(talking), status(answered), status(silent)] == [
        "missed",
        "in_progress",
        "completed",
        "missed",
    ]
    assert rep.get(f"/api/rep/conversations/{missed.conversation_id}").json()["call"]["recording_path"] is None


def test_texts_and_chats_have_no_call(rep: Signed, open_handoff_chat) -> None:  # noqa: ANN001
    chat = open_handoff_chat()
    detail = rep.get(f"/api/rep/conversations/{chat.session_id}").json()
    assert detail["call"] is None
    (item,) = [e for e in rep.get("/api/rep/conversations").json()["conversations"] if e["id"] == chat.session_id]
    assert item["call"] is None


# --- the recording -------------------------------------------------------------------------


def test_the_recording_is_fetched_from_twilio_with_the_accounts_credentials(
    rep: Signed, voicemail: StoredCall, fake_twilio: FakeTwilio, database_url: str
) -> None:
    response = rep.get(f"/api/rep/calls/{voicemail.call_id}/recording")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/mpeg"
    assert response.headers["cache-control"] == "no-store"
    assert response.content == FAKE_MP3
    (fetched,) = fake_twilio.fetched()
    assert voicemail.recording_url is not None
    assert f"{fake_twilio.url}{fetched.path}" == voicemail.recording_url + ".mp3"
    assert (fetched.account_sid, fetched.auth_token) == (ACCOUNT_SID, AUTH_TOKEN)
    (played,) = audit_actions(database_url, "recording_played")
    assert (played.actor, played.subject_id, played.details) == (
        f"rep:{rep.rep['id']}",
        voicemail.conversation_id,
        {"call": voicemail.call_id},
    )


def test_a_twilio_url_is_fetched_from_the_configured_api(
    rep: Signed, database_url: str, fake_twilio: FakeTwilio
) -> None:
    """As stored from a real webhook: Twilio's own host, sent to TWILIO_API_BASE_URL here."""
    stored = store_call(
        database_url, from_number=CALLER, recording=recording_url("https://api.twilio.com", ACCOUNT_SID)
    )
    response = rep.get(f"/api/rep/calls/{stored.call_id}/recording")
    assert response.status_code == 200 and response.content == FAKE_MP3
    assert stored.recording_url is not None
    assert [r.path for r in fake_twilio.fetched()] == [
        stored.recording_url.removeprefix("https://api.twilio.com") + ".mp3"
    ]


def test_the_recording_needs_a_signed_in_rep(browser, voicemail: StoredCall, fake_twilio: FakeTwilio) -> None:  # noqa: ANN001
    assert browser().get(f"/api/rep/calls/{voicemail.call_id}/recording").status_code == 401
    assert fake_twilio.fetched() == []


def test_another_practices_call_does_not_exist_for_a_rep(
    other_practice, voicemail: StoredCall, fake_twilio: FakeTwilio, database_url: str
) -> None:  # noqa: ANN001
    response = other_practice.signed.get(f"/api/rep/calls/{voicemail.call_id}/recording")
    assert (response.status_code, response.json()) == (404, {"detail": "call not found"})
    assert fake_twilio.fetched() == [] and audit_actions(database_url, "recording_played") == []


@pytest.mark.parametrize(("call_id", "status"), [("999999", 404), ("0", 422), ("abc", 422), ("2147483648", 422)])
def test_an_unknown_or_malformed_call_id_is_refused(rep: Signed, call_id: str, status: int) -> None:
    assert rep.get(f"/api/rep/calls/{call_id}/recording").status_code == status


@pytest.mark.parametrize(
    "stored_url",
    [
        "https://evil.example/2010-04-01/Accounts/{sid}/Recordings/RE1",
        "https://api.twilio.com.evil.example/2010-04-01/Accounts/{sid}/Recordings/RE1",
        "http://api.twilio.com/2010-04-01/Accounts/{sid}/Recordings/RE1",  # not https
        "{fake}0/2010-04-01/Accounts/{sid}/Recordings/RE1",  # another port that starts the same
        "http://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
    ],
)
def test_a_recording_url_that_is_not_twilios_is_never_fetched(
    rep: Signed, database_url: str, fake_twilio: FakeTwilio, stored_url: str
) -> None:
    url = stored_url.format(sid=ACCOUNT_SID, fake=fake_twilio.url)
    stored = store_call(database_url, from_number=CALLER, recording=url)
    response = rep.get(f"/api/rep/calls/{stored.call_id}/recording")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Recording not available: its address is not Twilio's, so it is not fetched"},
    )
    assert fake_twilio.fetched() == [] and audit_actions(database_url, "recording_played") == []


@pytest.mark.parametrize(
    ("failure", "detail"),
    [
        (Failure(status=500), "Recording not available: Twilio answered 500"),
        (Failure(status=401, code=20003), "Recording not available: Twilio answered 401"),
        (Failure(status=200, delay=1.0), "Recording not available: Twilio could not be reached"),  # a timeout
    ],
)
def test_twilio_failing_is_a_502_with_a_clear_detail(
    rep: Signed, voicemail: StoredCall, fake_twilio: FakeTwilio, database_url: str, failure: Failure, detail: str
) -> None:
    fake_twilio.fail_next(failure)
    response = rep.get(f"/api/rep/calls/{voicemail.call_id}/recording")
    assert (response.status_code, response.json()) == (502, {"detail": detail})
    assert audit_actions(database_url, "recording_played") == []  # nobody heard anything


def test_a_recording_twilio_no_longer_has_is_404(rep: Signed, database_url: str, fake_twilio: FakeTwilio) -> None:
    other_account = recording_url(fake_twilio.url, "AC" + "8" * 32)  # the fake answers 404 for it
    stored = store_call(database_url, from_number=CALLER, recording=other_account)
    response = rep.get(f"/api/rep/calls/{stored.call_id}/recording")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Recording not available: Twilio no longer has it"},
    )


def test_a_call_without_a_recording_has_none_to_play(rep: Signed, database_url: str, fake_twilio: FakeTwilio) -> None:
    stored = store_call(database_url, from_number=CALLER, recording=None)
    response = rep.get(f"/api/rep/calls/{stored.call_id}/recording")
    assert response.status_code == 404 and "no message was recorded" in response.json()["detail"]
    assert fake_twilio.fetched() == []


def test_without_twilio_credentials_the_recording_is_not_available(database_url: str) -> None:
    """The demo (no TWILIO_ACCOUNT_SID): a clear 404, nothing fetched."""
    stored = store_call(database_url, from_number=CALLER, recording=recording_url("https://api.twilio.com", "AC1"))
    with TestClient(create_app(make_settings(database_url)), base_url="http://localhost") as http:
        signed = sign_in(http, *REP)
        response = signed.get(f"/api/rep/calls/{stored.call_id}/recording")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Recording not available: Twilio is not configured here (demo mode)"},
    )


# --- call back -----------------------------------------------------------------------------


def test_calling_back_records_who_and_when_and_keeps_the_ticket_open(
    rep: Signed, voicemail: StoredCall, database_url: str
) -> None:
    conversation = voicemail.conversation_id
    assert rep.post(f"/api/rep/conversations/{conversation}/claim").status_code == 200
    assert rep.get(f"/api/rep/conversations/{conversation}").json()["permissions"]["can_call_back"] is True

    response = rep.post(f"/api/rep/conversations/{conversation}/call-back")
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["conversation_id"], result["state"], result["number"]) == (conversation, "with_rep", CALLER)
    assert result["call"]["called_back_by"] == {"id": rep.rep["id"], "display_name": "Casey (front desk)"}
    assert result["call"]["called_back_at"] is not None
    assert result["note"]["author"] == "system"
    assert result["note"]["text"].startswith("Called back by Casey (front desk) at ")

    with session_scope(database_url) as session:
        call = session.get(Call, voicemail.call_id)
        assert call is not None and call.called_back_by_rep_id == rep.rep["id"] and call.called_back_at is not None
        stored = session.get(Conversation, conversation)
        assert stored is not None and stored.state is ConversationState.WITH_REP  # not resolved
    (called,) = audit_actions(database_url, "called_back")
    assert (called.actor, called.subject_id) == (f"rep:{rep.rep['id']}", conversation)
    detail = rep.get(f"/api/rep/conversations/{conversation}").json()
    assert detail["ticket"]["state"] == "claimed"
    assert detail["messages"][-1]["text"] == result["note"]["text"]
    assert detail["call"]["called_back_at"] == result["call"]["called_back_at"]


def test_the_call_back_line_names_the_rep_and_the_practice_time(voicemail: StoredCall, database_url: str) -> None:
    with session_scope(database_url) as session:
        conversation = session.get(Conversation, voicemail.conversation_id)
        rep = session.scalars(select(Rep).where(Rep.email == REP[0])).one()
        assert conversation is not None
        claim(session, conversation, rep)
        # 15:05 UTC is 10:05 AM in New York in March (before daylight saving starts).
        result = record_call_back(session, conversation, rep, now=dt.datetime(2026, 3, 2, 15, 5, tzinfo=dt.UTC))
    assert result.note.text == "Called back by Casey (front desk) at Mon Mar 2, 10:05 AM"
    assert result.call.called_back_at == "2026-03-02T15:05:00+00:00"


def test_calling_back_is_for_the_rep_who_claimed_it(
    rep: Signed, admin: Signed, voicemail: StoredCall, fake_twilio: FakeTwilio
) -> None:
    path = f"/api/rep/conversations/{voicemail.conversation_id}/call-back"
    unclaimed = rep.post(path)
    assert (unclaimed.status_code, unclaimed.json()) == (409, {"detail": "claim the conversation first"})
    assert admin.post(f"/api/rep/conversations/{voicemail.conversation_id}/claim").status_code == 200
    taken = rep.post(path)
    assert (taken.status_code, taken.json()) == (403, {"detail": "another rep is handling this conversation"})


def test_calling_back_needs_the_csrf_token(rep: Signed, voicemail: StoredCall, database_url: str) -> None:
    path = f"/api/rep/conversations/{voicemail.conversation_id}/call-back"
    assert rep.post(f"/api/rep/conversations/{voicemail.conversation_id}/claim").status_code == 200
    for headers in ({}, {"X-CSRF-Token": "wrong"}):
        refused = rep.http.post(path, headers=headers)
        assert refused.status_code == 403 and "CSRF" in refused.text
    assert audit_actions(database_url, "called_back") == []


def test_calling_back_another_practices_call_is_refused(
    other_practice, voicemail: StoredCall, database_url: str
) -> None:  # noqa: ANN001
    refused = other_practice.signed.post(f"/api/rep/conversations/{voicemail.conversation_id}/call-back")
    assert refused.status_code == 403  # like every other action on another practice's conversation
    assert audit_actions(database_url, "called_back") == []


def test_only_a_call_can_be_called_back(admin: Signed, open_handoff_chat) -> None:  # noqa: ANN001
    chat = open_handoff_chat()
    assert admin.post(f"/api/rep/conversations/{chat.session_id}/claim").status_code == 200
    refused = admin.post(f"/api/rep/conversations/{chat.session_id}/call-back")
    assert refused.status_code == 409 and "not a phone call" in refused.json()["detail"]
    assert admin.get(f"/api/rep/conversations/{chat.session_id}").json()["permissions"]["can_call_back"] is False


def test_a_withheld_number_is_called_back_on_the_clients_mobile(rep: Signed, database_url: str) -> None:
    with session_scope(database_url) as session:
        jordan = session.scalars(select(Client).where(Client.first_name == "Jordan")).one()
        jordan_id, mobile = jordan.id, jordan.mobile_e164
    known = store_call(database_url, from_number=None, recording=None, client_id=jordan_id)
    assert rep.post(f"/api/rep/conversations/{known.conversation_id}/claim").status_code == 200
    assert rep.post(f"/api/rep/conversations/{known.conversation_id}/call-back").json()["number"] == mobile

    anonymous = store_call(database_url, from_number=None, recording=None)
    assert rep.get(f"/api/rep/conversations/{anonymous.conversation_id}").json()["client"]["label"] == (
        "Caller (number withheld)"
    )
    assert rep.post(f"/api/rep/conversations/{anonymous.conversation_id}/claim").status_code == 200
    refused = rep.post(f"/api/rep/conversations/{anonymous.conversation_id}/call-back")
    assert refused.status_code == 409 and "no number to call back" in refused.json()["detail"]


def test_a_written_reply_to_a_call_is_refused(rep: Signed, voicemail: StoredCall, database_url: str) -> None:
    path = f"/api/rep/conversations/{voicemail.conversation_id}"
    for _ in ("before claiming", "after"):
        refused = rep.post(f"{path}/messages", {"text": "Hi, got your message"})
        assert (refused.status_code, refused.json()) == (409, {"detail": "This was a phone call: call the client back"})
        assert rep.post(f"{path}/claim").status_code == 200
    with session_scope(database_url) as session:
        written = session.scalars(
            select(Message).where(Message.conversation_id == voicemail.conversation_id, Message.author == Author.REP)
        ).all()
    assert written == []
    assert rep.get(path).json()["ticket"]["state"] == TicketState.CLAIMED.value
