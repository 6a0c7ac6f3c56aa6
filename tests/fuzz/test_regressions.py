"""What the fuzz found (and the crash classes of the security review), as plain requests.

Each input once answered 500, cut an event stream short, or broke the OpenAPI contract.
Every test runs on SQLite and on PostgreSQL: several only crash on one of them (SQLite
refuses integers past 2**63-1; PostgreSQL's `integer` id columns stop at 2**31-1, and it
refuses NUL characters).  Expected answers are the documented ones: a 4xx saying what is
wrong, or the normal answer when the input is harmless."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.twilio_webhooks import expected_account_sid
from assistant.services.reps import SESSION_COOKIE
from tests.fuzz.examples import Store
from tests.fuzz.harness import app_settings, twilio_signature

pytestmark = pytest.mark.fuzz

INT4_PAST_MAX = 2**31  # PostgreSQL `integer` (every id column) holds at most 2**31 - 1
INT8_PAST_MAX = 2**63  # SQLite INTEGER and PostgreSQL `bigint` hold at most 2**63 - 1
SUPERSCRIPT_DIGITS = "\u00b2\u00b3"  # "²³": str.isdigit() says yes, int() raises


@pytest.fixture(scope="module")
def client(fuzz_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(fuzz_app, base_url="http://localhost") as http:
        yield http


@pytest.fixture(autouse=True)
def unthrottled(fuzz_app: FastAPI, store: Store) -> None:
    store.reset_throttles(fuzz_app)


@pytest.fixture
def chat(store: Store) -> tuple[str, dict[str, str]]:
    session_id, token = store.chat_session()
    return session_id, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(client: TestClient, store: Store) -> dict[str, str]:
    """Headers of a signed-in admin: the CSRF token (the session cookie is set on `client`)."""
    token, csrf = store.admin_session()
    client.cookies.set(SESSION_COOKIE, token)
    return {"X-CSRF-Token": csrf}


def stream_token(client: TestClient, session_id: str, headers: dict[str, str]) -> str:
    response = client.post(f"/api/chat/sessions/{session_id}/stream-token", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["stream_token"]


# --- public chat API ---------------------------------------------------------------------


@pytest.mark.parametrize("after", [INT4_PAST_MAX, 9223372036854775806, INT8_PAST_MAX])
def test_transcript_after_a_huge_message_id(client: TestClient, chat, after: int) -> None:
    # Found: OverflowError (SQLite, 2**63) and DataError "integer out of range" (PostgreSQL, 2**31).
    session_id, headers = chat
    response = client.get(f"/api/chat/sessions/{session_id}/messages", params={"after": after}, headers=headers)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["messages"] == []


@pytest.mark.parametrize("after", [INT4_PAST_MAX, INT8_PAST_MAX])
def test_event_stream_after_a_huge_message_id(client: TestClient, chat, after: int) -> None:
    # Found: the stream began (200) and was then cut off by DataError (PostgreSQL).
    session_id, headers = chat
    params = {"stream_token": stream_token(client, session_id, headers), "after": after}
    response = client.get(f"/api/chat/sessions/{session_id}/events", params=params)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert "event: state" in response.text


@pytest.mark.parametrize("last_event_id", [str(INT4_PAST_MAX), str(INT8_PAST_MAX), SUPERSCRIPT_DIGITS])
def test_event_stream_resumed_from_a_bad_last_event_id(client: TestClient, chat, last_event_id: str) -> None:
    session_id, headers = chat
    params = {"stream_token": stream_token(client, session_id, headers)}
    # Headers travel as latin-1 bytes: that is how a browser's non-ASCII digits would arrive.
    response = client.get(
        f"/api/chat/sessions/{session_id}/events",
        params=params,
        headers={"Last-Event-ID": last_event_id.encode("latin-1")},
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert "event: state" in response.text


@pytest.mark.parametrize("token", [f"{SUPERSCRIPT_DIGITS}.signature", f"{'9' * 5000}.signature"])
def test_event_stream_with_a_malformed_stream_token(client: TestClient, chat, token: str) -> None:
    session_id, _ = chat
    response = client.get(f"/api/chat/sessions/{session_id}/events", params={"stream_token": token})
    assert response.status_code in (401, 422), response.text


def test_validation_errors_match_the_openapi_document(client: TestClient, chat) -> None:
    # Found (schema violation on every 422): the document says `detail` is a list of errors,
    # the app's handler (assistant/api/main.py) answers one string.
    session_id, headers = chat
    response = client.post(f"/api/chat/sessions/{session_id}/messages", json={"text": ""}, headers=headers)
    assert response.status_code == 422
    documented = client.get("/openapi.json").json()
    operation = documented["paths"]["/api/chat/sessions/{session_id}/messages"]["post"]
    schema = operation["responses"]["422"]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = documented["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    documented_type = schema["properties"]["detail"].get("type")
    actual_type = {str: "string", list: "array"}[type(response.json()["detail"])]
    assert actual_type == documented_type


@pytest.mark.parametrize("name", ["Jordan\u0000Lee", "Jordan Lee\u0000"])
def test_new_session_with_a_nul_in_the_name(client: TestClient, name: str) -> None:
    response = client.post("/api/chat/sessions", json={"name": name, "date_of_birth": "1990-04-12"})
    assert response.status_code in (201, 422), response.text


def test_oversized_chat_body_is_refused(client: TestClient, chat) -> None:
    session_id, headers = chat
    body = '{"text": "' + "a" * (2 * 1024 * 1024) + '"}'
    response = client.post(
        f"/api/chat/sessions/{session_id}/messages",
        content=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code in (413, 422), response.text[:200]


# --- rep API -----------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["admin@lakeside.example\u0000", "\u0000@x.example"])
def test_sign_in_with_a_nul_in_the_email(fuzz_app: FastAPI, email: str) -> None:
    # Found (deep run): DataError "cannot contain NUL" counting failures (PostgreSQL).
    signed_out = TestClient(fuzz_app, base_url="http://localhost")  # no cookie; sign-in needs no lifespan
    response = signed_out.post("/api/rep/login", json={"email": email, "password": "wrong password"})
    assert response.status_code in (401, 422), response.text


@pytest.mark.parametrize("after", [INT4_PAST_MAX, INT8_PAST_MAX])
def test_rep_new_messages_after_a_huge_message_id(client: TestClient, store: Store, admin, after: int) -> None:
    # Found: DataError "integer out of range" (PostgreSQL).
    conversation_id = store.handed_off_conversation()
    response = client.get(f"/api/rep/conversations/{conversation_id}/messages", params={"after": after})
    assert response.status_code in (200, 422), response.text


@pytest.mark.parametrize("before_id", [INT4_PAST_MAX, INT8_PAST_MAX])
def test_audit_log_before_a_huge_id(client: TestClient, admin, before_id: int) -> None:
    response = client.get("/api/rep/audit", params={"before_id": before_id})
    assert response.status_code in (200, 422), response.text


@pytest.mark.parametrize("item_id", [INT4_PAST_MAX, INT8_PAST_MAX])
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_canned_response_with_a_huge_id(client: TestClient, admin, method: str, item_id: int) -> None:
    # Found: DataError "integer out of range" in get_or_404 (PostgreSQL).
    response = client.request(
        method,
        f"/api/rep/canned-responses/{item_id}",
        headers=admin,
        json={"title": "Hi", "body": "Hello"} if method == "PATCH" else None,
    )
    assert response.status_code in (404, 422), response.text


@pytest.mark.parametrize("rep_id", [INT4_PAST_MAX, INT8_PAST_MAX])
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_rep_with_a_huge_id(client: TestClient, admin, method: str, rep_id: int) -> None:
    response = client.request(
        method, f"/api/rep/reps/{rep_id}", headers=admin, json={"display_name": "X"} if method == "PATCH" else None
    )
    assert response.status_code in (404, 422), response.text


SETTINGS_CHANGES = {
    "business_hours=null": {"business_hours": None},  # found: AttributeError in services/admin.py
    "cancellation_window_hours=null": {"cancellation_window_hours": None},  # found: NOT NULL IntegrityError
    "response_window_minutes=null": {"response_window_minutes": None},
    "late_cancel_fee_cents=null": {"late_cancel_fee_cents": None},
    "timezone=null": {"timezone": None},  # found: TypeError from ZoneInfo(None)
    "hours with superscript digits": {"business_hours": {"mon": [["0\u00b2:00", "17:00"]]}},
}


@pytest.mark.parametrize("change", SETTINGS_CHANGES.values(), ids=SETTINGS_CHANGES.keys())
def test_settings_change_that_once_crashed(client: TestClient, admin, change: dict) -> None:
    response = client.patch("/api/rep/settings", json=change, headers=admin)
    assert response.status_code in (200, 422), response.text
    assert client.get("/api/rep/settings").status_code == 200  # and the practice still loads


def test_canned_response_with_nul_characters(client: TestClient, admin) -> None:
    response = client.post(
        "/api/rep/canned-responses", json={"title": "Hi\u0000", "body": "Hel\u0000lo"}, headers=admin
    )
    assert response.status_code in (201, 422), response.text


# --- Twilio webhooks ---------------------------------------------------------------------


def post_signed(client: TestClient, fuzz_app: FastAPI, path: str, form: dict[str, str]):
    signature = twilio_signature(fuzz_app.state.settings.twilio_auth_token, path, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def inbound(body: str, **extra: str) -> dict[str, str]:
    return {
        "MessageSid": "SM" + "a" * 32,
        "AccountSid": expected_account_sid(app_settings("sqlite://")),
        "From": "+15555550142",
        "To": "+15555550100",
        "Body": body,
        **extra,
    }


@pytest.mark.parametrize(
    "extra",
    [
        {"Body": "hi\u0000there"},
        {"NumMedia": SUPERSCRIPT_DIGITS},
        {"NumMedia": "1", "MediaUrl0": "https://x.example/\u0000"},
        {"OptOutType": "STOP\u0000"},
    ],
)
def test_signed_inbound_text_with_odd_fields(client: TestClient, fuzz_app: FastAPI, extra: dict) -> None:
    form = inbound("hello")
    form.update(extra)
    response = post_signed(client, fuzz_app, "/twilio/sms", form)
    assert response.status_code in (200, 400), response.text


def test_oversized_webhook_is_refused(client: TestClient, fuzz_app: FastAPI) -> None:
    response = post_signed(client, fuzz_app, "/twilio/sms", inbound("a" * (2 * 1024 * 1024)))
    assert response.status_code == 413, response.text[:200]


def test_unsigned_webhook_is_refused(client: TestClient) -> None:
    response = client.post("/twilio/sms", data=inbound("hello"))
    assert response.status_code == 403, response.text


# --- days in query strings -------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", ["0", "20261201", "2026-1-1", "２０２６-１２-０１", "2026-12-01T00:00", "0001-01-01", "9999-12-31"]
)
@pytest.mark.parametrize("url", ["/api/rep/audit", "/api/rep/audit.csv", "/api/rep/insights", "/api/rep/insights?to"])
def test_a_day_is_only_ever_yyyy_mm_dd(client: TestClient, admin, url: str, day: str) -> None:
    # Found: `since=0` was read as 1970-01-01 (a Unix time) and accepted; `to=0001-01-01` was a 500
    # (the period before it is before year 1).
    url, _, name = url.partition("?")
    name = name or ("from" if "insights" in url else "since")
    response = client.get(url, params={name: day}, headers=admin)
    assert response.status_code == 422, (url, day, response.status_code)
    assert client.get(url, params={name: "2026-12-01"}, headers=admin).status_code == 200
