"""Inputs that used to crash a handler (500) now get a clear 4xx, and text with control
characters is stored without them.  (The Twilio webhooks' cases: tests/sms/test_bad_webhook_input.py.)

The crash classes: integers of 2**63 and more reaching the database (`after`,
`before_id`, path ids: OverflowError), digits that `str.isdigit()` accepts but `int()`
refuses ("¹²": stream tokens, Last-Event-ID, business hours), an event stream that died
on a huge `after` or Last-Event-ID, and control characters in stored text (PostgreSQL
refuses a NUL outright).  Lone UTF-16 surrogates, which no driver can encode, are
refused by the JSON validation; the tests keep it that way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.api.main import create_app
from assistant.api.schemas.rep_requests import CLEARABLE_SETTINGS
from assistant.services.admin import SETTINGS_FIELDS
from assistant.store.engine import session_scope
from assistant.store.models import (
    CannedResponse,
    Channel,
    Conversation,
    Message,
    Practice,
    Rep,
    TicketNote,
)
from tests.support import backends
from tests.support.console import (
    ADMIN,
    JORDAN,
    REP,
    Signed,
    make_settings,
    sign_in,
)

# Each test runs on SQLite and on PostgreSQL (which refuses what SQLite stores).
database_url = backends.database_url
postgres_demo_template = backends.postgres_demo_template

TOO_BIG = str(2**63)  # one more than a 64-bit column holds (SQLite)
TOO_BIG_FOR_INT4 = str(2**31)  # one more than PostgreSQL's INTEGER holds
WAY_TOO_BIG = "9" * 40
SUPERSCRIPT = "\u00b9\u00b2"  # "¹²": isdigit() is True, int() raises


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    application = create_app(make_settings(database_url))
    with TestClient(application, base_url="http://localhost"):  # runs the lifespan once
        yield application


def _client(app: FastAPI) -> TestClient:
    # raise_server_exceptions=False: a crash is then the 500 a browser would see, not an exception.
    return TestClient(app, base_url="http://localhost", raise_server_exceptions=False)


@pytest.fixture
def admin(app: FastAPI) -> Signed:
    return sign_in(_client(app), *ADMIN)


@pytest.fixture
def chat(app: FastAPI) -> tuple[TestClient, str, dict[str, str]]:
    http = _client(app)
    created = http.post("/api/chat/sessions", json={}).json()
    return http, created["session_id"], {"Authorization": f"Bearer {created['token']}"}


def _stream_token(chat: tuple[TestClient, str, dict[str, str]]) -> str:
    http, session_id, auth = chat
    return http.post(f"/api/chat/sessions/{session_id}/stream-token", headers=auth).json()["stream_token"]


def _json(body: object, headers: dict[str, str]) -> dict[str, object]:
    """A JSON request body as bytes: json.dumps escapes a lone surrogate ("\\ud800"), which
    JSON allows and httpx's own encoder cannot send."""
    return {"content": json.dumps(body).encode(), "headers": {"Content-Type": "application/json", **headers}}


def _lakeside_conversation(database_url: str) -> str:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        conversation = Conversation(practice_id=practice.id, channel=Channel.WEB)
        session.add(conversation)
        session.flush()
        return conversation.id


# --- integers too big for the database ------------------------------------------------------


@pytest.mark.parametrize("value", [TOO_BIG, TOO_BIG_FOR_INT4, WAY_TOO_BIG, SUPERSCRIPT, "-1"])
def test_chat_transcript_cursor_out_of_range_is_422(chat, value: str) -> None:
    http, session_id, auth = chat
    response = http.get(f"/api/chat/sessions/{session_id}/messages", params={"after": value}, headers=auth)
    assert response.status_code == 422, response.text
    assert "after" in response.json()["detail"]


@pytest.mark.parametrize("value", [TOO_BIG, TOO_BIG_FOR_INT4, WAY_TOO_BIG])
def test_event_stream_with_a_huge_after_is_422_not_a_dead_stream(chat, value: str) -> None:
    http, session_id, _ = chat
    response = http.get(
        f"/api/chat/sessions/{session_id}/events", params={"stream_token": _stream_token(chat), "after": value}
    )
    assert response.status_code == 422, response.text
    assert "after" in response.json()["detail"]


@pytest.mark.parametrize("value", [SUPERSCRIPT, TOO_BIG, TOO_BIG_FOR_INT4, WAY_TOO_BIG, "12abc", "-3"])
def test_event_stream_with_a_bad_last_event_id_is_422(chat, value: str) -> None:
    http, session_id, _ = chat
    # Latin-1 on the wire: how a server decodes header bytes, so "¹²" arrives as "¹²".
    response = http.get(
        f"/api/chat/sessions/{session_id}/events",
        params={"stream_token": _stream_token(chat)},
        headers={"Last-Event-ID": value.encode("latin-1")},
    )
    assert response.status_code == 422, response.text
    assert "last-event-id" in response.json()["detail"].lower()


@pytest.mark.parametrize("token", [f"{SUPERSCRIPT}.abc", f"{'9' * 30}.abc", "\u0661\u0662.abc", ".", ""])
def test_malformed_stream_token_is_401(chat, token: str) -> None:
    http, session_id, _ = chat
    response = http.get(f"/api/chat/sessions/{session_id}/events", params={"stream_token": token})
    assert response.status_code == 401, response.text


def test_rep_transcript_cursor_out_of_range_is_422(admin: Signed, database_url: str) -> None:
    conversation_id = _lakeside_conversation(database_url)
    for value in (TOO_BIG, TOO_BIG_FOR_INT4, WAY_TOO_BIG, SUPERSCRIPT):
        response = admin.get(f"/api/rep/conversations/{conversation_id}/messages", params={"after": value})
        assert response.status_code == 422, (value, response.text)


@pytest.mark.parametrize("value", [TOO_BIG, TOO_BIG_FOR_INT4, WAY_TOO_BIG, SUPERSCRIPT, "0"])
def test_audit_before_id_out_of_range_is_422(admin: Signed, value: str) -> None:
    response = admin.get("/api/rep/audit", params={"before_id": value})
    assert response.status_code == 422, response.text
    assert "before_id" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", "/api/rep/reps/{id}"),
        ("DELETE", "/api/rep/reps/{id}"),
        ("PATCH", "/api/rep/canned-responses/{id}"),
        ("DELETE", "/api/rep/canned-responses/{id}"),
    ],
)
@pytest.mark.parametrize("value", [TOO_BIG, TOO_BIG_FOR_INT4, WAY_TOO_BIG, SUPERSCRIPT])
def test_path_ids_out_of_range_are_422(admin: Signed, method: str, path: str, value: str) -> None:
    body = {"display_name": "x"} if "reps" in path else {"title": "t", "body": "b"}
    response = admin.http.request(
        method, path.format(id=value), json=body if method == "PATCH" else None, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("conversation_id", ["a%00b", "x" * 65, "a%0Ab", "%C2%B9"])
def test_malformed_conversation_ids_are_422(admin: Signed, conversation_id: str) -> None:
    response = admin.get(f"/api/rep/conversations/{conversation_id}")
    assert response.status_code in (404, 422), response.text
    assert response.status_code != 500


@pytest.mark.parametrize(
    "path",
    [
        "/api/chat/sessions/a%00b/messages",
        "/api/chat/sessions/a%00b/events",
        "/api/chat/practices/a%00b",
        "/api/chat/practices/Lake%0Aside",
    ],
)
@pytest.mark.parametrize("origin", [None, "https://evil.example"])  # with an Origin, CORS looks it up first
def test_malformed_chat_ids_and_slugs_are_4xx(app: FastAPI, path: str, origin: str | None) -> None:
    headers = {"Authorization": "Bearer x", **({"Origin": origin} if origin else {})}
    response = _client(app).get(path, params={"stream_token": "x"}, headers=headers)
    assert response.status_code in (403, 422), response.text  # 403: that origin may not use the chat


# --- non-ASCII digits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "time", [f"{SUPERSCRIPT}:00", "\u0660\u0669:00", "\uff10\uff19:00", "9:00", "09:00\n", "24:01", "23:60"]
)
def test_business_hours_with_anything_but_hh_mm_are_422(admin: Signed, time: str) -> None:
    response = admin.http.patch(
        "/api/rep/settings", json={"business_hours": {"mon": [[time, "17:00"]]}}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 422, response.text
    assert "business_hours" in response.json()["detail"]


@pytest.mark.parametrize("timezone", ["zone.tab", "America", "America/", "/etc/passwd", "UTC\n", "Europe/Lon\x00don"])
def test_timezones_that_are_not_zones_are_422(admin: Signed, timezone: str) -> None:
    response = admin.http.patch("/api/rep/settings", json={"timezone": timezone}, headers={"X-CSRF-Token": admin.csrf})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("number", ["+15555550199\n", "+1\u0665\u0665\u0665\u0665\u0665\u0665\u0665"])
def test_on_call_numbers_must_be_ascii_e164(admin: Signed, number: str) -> None:
    response = admin.http.patch("/api/rep/settings", json={"oncall_e164": number}, headers={"X-CSRF-Token": admin.csrf})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "field",
    [field for field in SETTINGS_FIELDS if field not in CLEARABLE_SETTINGS],
)
def test_settings_that_cannot_be_empty_refuse_null(admin: Signed, field: str) -> None:
    response = admin.http.patch("/api/rep/settings", json={field: None}, headers={"X-CSRF-Token": admin.csrf})
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]
    assert admin.get("/api/rep/settings").status_code == 200


@pytest.mark.parametrize("days", [0, -1, 3651, 10**30, 7.5, "a month"])
def test_dialogue_retention_outside_one_day_to_ten_years_is_422(admin: Signed, days: object) -> None:
    before = admin.get("/api/rep/settings").json()["dialogue_retention_days"]
    response = admin.http.patch(
        "/api/rep/settings", json={"dialogue_retention_days": days}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 422, response.text
    assert admin.get("/api/rep/settings").json()["dialogue_retention_days"] == before


@pytest.mark.parametrize("value", ["yes", 1, "true"])
def test_the_closing_text_setting_is_a_real_boolean(admin: Signed, value: object) -> None:
    response = admin.http.patch(
        "/api/rep/settings", json={"closure_sms_enabled": value}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 422, response.text
    assert admin.get("/api/rep/settings").json()["closure_sms_enabled"] is False


def test_the_closing_text_can_be_turned_on(admin: Signed) -> None:
    response = admin.http.patch(
        "/api/rep/settings", json={"closure_sms_enabled": True}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 200 and response.json()["closure_sms_enabled"] is True


def test_dialogue_retention_is_the_practices_to_set(admin: Signed) -> None:
    response = admin.http.patch(
        "/api/rep/settings", json={"dialogue_retention_days": 7}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert response.status_code == 200, response.text
    assert admin.get("/api/rep/settings").json()["dialogue_retention_days"] == 7


def test_the_on_call_number_can_be_cleared(admin: Signed) -> None:
    response = admin.http.patch("/api/rep/settings", json={"oncall_e164": None}, headers={"X-CSRF-Token": admin.csrf})
    assert response.status_code == 200 and response.json()["oncall_e164"] is None


def test_good_settings_still_save(admin: Signed) -> None:
    response = admin.http.patch(
        "/api/rep/settings",
        headers={"X-CSRF-Token": admin.csrf},
        json={
            "timezone": "America/Chicago",
            "business_hours": {"fri": [["09:00", "12:00"], ["13:00", "24:00"]]},
            "oncall_e164": "+15555550199",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["business_hours"] == {"fri": [["09:00", "12:00"], ["13:00", "24:00"]]}


# --- text the database cannot store -----------------------------------------------------------


def test_chat_message_control_characters_are_not_stored(chat, database_url: str) -> None:
    http, session_id, auth = chat
    response = http.post(
        f"/api/chat/sessions/{session_id}/messages",
        json={"text": "move my \x00appointment\x1b[2J\x07\r\nplease\tthanks"},
        headers=auth,
    )
    assert response.status_code == 422  # a NUL in a chat message is refused outright
    response = http.post(
        f"/api/chat/sessions/{session_id}/messages",
        json={"text": "move my appointment\x1b[2J\x07\r\nplease\tthanks\x7f"},
        headers=auth,
    )
    assert response.status_code == 200, response.text
    with session_scope(database_url) as session:
        texts = list(
            session.scalars(select(Message.text).where(Message.conversation_id == session_id).order_by(Message.id))
        )
    assert texts[0] == "move my appointment[2J\nplease\tthanks"


@pytest.mark.parametrize("text", ["\x00", "\x01\x02", " \ud800 ", "hi \udfff"])
def test_chat_message_of_control_characters_or_lone_surrogates_is_422(chat, text: str) -> None:
    http, session_id, auth = chat
    response = http.post(f"/api/chat/sessions/{session_id}/messages", **_json({"text": text}, auth))
    assert response.status_code == 422, response.text


def test_rep_replies_and_notes_are_stored_without_control_characters(app: FastAPI, database_url: str) -> None:
    visitor = _client(app)
    created = visitor.post("/api/chat/sessions", json=JORDAN).json()
    visitor.post(
        f"/api/chat/sessions/{created['session_id']}/messages",
        json={"text": "a person please"},
        headers={"Authorization": f"Bearer {created['token']}"},
    )  # the bot is down: handed off
    rep = sign_in(_client(app), *REP)
    conversation = f"/api/rep/conversations/{created['session_id']}"
    assert rep.post(f"{conversation}/claim").status_code == 200
    assert rep.post(f"{conversation}/messages", json={"text": "Hi\x00 there\x9b"}).status_code == 201
    surrogate = rep.http.post(f"{conversation}/messages", **_json({"text": "Hi \ud800"}, {"X-CSRF-Token": rep.csrf}))
    assert surrogate.status_code == 422, surrogate.text
    assert rep.post(f"{conversation}/notes", json={"text": "called\x1b back\r\nlater"}).status_code == 201
    assert rep.post(f"{conversation}/notes", json={"text": "\x00\x00"}).status_code == 422
    with session_scope(database_url) as session:
        replies = list(
            session.scalars(
                select(Message.text).where(Message.conversation_id == created["session_id"], Message.text.like("Hi%"))
            )
        )
        notes = list(
            session.scalars(select(TicketNote.text).where(TicketNote.conversation_id == created["session_id"]))
        )
    assert replies == ["Hi there"]
    assert notes == ["called back\nlater"]


def test_canned_responses_and_rep_names_are_stored_without_control_characters(admin: Signed, database_url: str) -> None:
    saved = admin.post("/api/rep/canned-responses", json={"title": "Run\x00ning late", "body": "Be there\x07 soon"})
    assert saved.status_code == 201, saved.text
    created = admin.post(
        "/api/rep/reps",
        json={"email": "new.rep@lakeside.example", "display_name": "Sam\x00 Lee", "password": "a-long-enough-password"},
    )
    assert created.status_code == 201, created.text
    with session_scope(database_url) as session:
        canned = session.get(CannedResponse, saved.json()["id"])
        rep = session.get(Rep, created.json()["id"])
        assert (canned.title, canned.body, rep.display_name) == ("Running late", "Be there soon", "Sam Lee")
    assert admin.post("/api/rep/canned-responses", json={"title": "\x00", "body": "x"}).status_code == 422
