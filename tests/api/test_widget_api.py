"""The widget's side of the gateway, in-process: static files, the demo page's CSP, per-practice
CORS, the transcript and its stream, ending a chat, and verification by a texted code."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.conversation.outbound import send_to_client
from assistant.services import console
from assistant.services.verification_codes import MAX_CODE_ATTEMPTS
from assistant.stack import free_port
from assistant.store import models
from assistant.store.engine import session_scope
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    ConversationState,
    HandoffReason,
    HandoffTicket,
    Message,
    Practice,
    SmsOptOut,
    TicketState,
    VerificationCode,
    utcnow,
)

DEMO_ORIGIN = "http://localhost:8000"
FOREIGN_ORIGIN = "https://evil.example"
JORDAN = {"name": "Jordan Lee", "date_of_birth": "1990-04-12"}
JORDAN_MOBILE = "+15555550123"


def _start(gateway: TestClient, **body: str) -> tuple[str, dict[str, str]]:
    response = gateway.post("/api/chat/sessions", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    return created["session_id"], {"Authorization": f"Bearer {created['token']}"}


def _say(database_url: str, session_id: str, text: str, author: Author = Author.BOT) -> int:
    with session_scope(database_url) as session:
        return send_to_client(session, session.get(Conversation, session_id), text, author=author).id


def _texts_to(database_url: str, number: str) -> list[str]:
    """What the phone got: the client's own copy of a text carrying a secret (reps see it masked)."""
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(func.coalesce(Message.client_text, Message.text))
                .join(Conversation)
                .where(Conversation.channel == Channel.SMS, Conversation.address == number)
                .order_by(Message.id)
            )
        )


def _latest_code(database_url: str, number: str = JORDAN_MOBILE) -> str:
    texts = [t for t in _texts_to(database_url, number) if "verification code" in t]
    assert texts, "no code was texted"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def _events(gateway: TestClient, session_id: str, auth: dict[str, str], **kwargs) -> list[tuple[str, str | None, str]]:
    """Read one (short) event stream: [(event, id, data)]."""
    token = gateway.post(f"/api/chat/sessions/{session_id}/stream-token", headers=auth).json()["stream_token"]
    gateway.app.state.chat_stream_max_seconds = 0.3
    gateway.app.state.chat_stream_poll_seconds = 0.1
    response = gateway.get(
        f"/api/chat/sessions/{session_id}/events", params={"stream_token": token, **kwargs.pop("params", {})}, **kwargs
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events = []
    for block in response.text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in fields:
            events.append((fields["event"], fields.get("id"), fields.get("data", "")))
    return events


# --- Static files and the demo page -------------------------------------------------------


def test_widget_files_are_served_with_the_right_types(gateway: TestClient) -> None:
    js = gateway.get("/widget.js")
    assert js.status_code == 200
    assert js.headers["content-type"] == "text/javascript; charset=utf-8"
    assert js.headers["x-content-type-options"] == "nosniff"
    css = gateway.get("/widget.css")
    assert css.status_code == 200 and css.headers["content-type"] == "text/css; charset=utf-8"
    # Small, dependency-free, and nothing a strict CSP or an XSS review would object to.
    assert len(js.content) < 60_000
    forbidden = [
        r"\.innerHTML\b",
        r"outerHTML",
        r"insertAdjacentHTML",
        r"document\.write",
        r"\beval\(",
        r"new Function",
        r"\.style\.",
        r"setAttribute\(\s*[\"']style",
        r"cssText",
        r"https?://(?!www\.w3\.org)",
    ]
    code = re.sub(r"/\*.*?\*/", "", js.text, flags=re.S)  # comments may mention what code must not do
    for pattern in forbidden:
        assert not re.search(pattern, code), pattern
    assert "@import" not in css.text and "url(" not in css.text  # no external fonts or images


def test_demo_page_embeds_the_widget_under_a_strict_csp(gateway: TestClient) -> None:
    page = gateway.get("/")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'"):
        assert directive in csp
    assert "unsafe" not in csp
    html = page.text
    assert "Lakeside Counseling" in html
    assert '<script src="/widget.js" data-practice="lakeside" defer></script>' in html
    assert "<style" not in html and " style=" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []  # no inline script
    assert gateway.get("/demo/demo.css").headers["content-type"].startswith("text/css")


# --- CORS: a per-practice allowlist ------------------------------------------------------


def test_preflight_from_an_allowed_origin_gets_cors_headers(gateway: TestClient) -> None:
    response = gateway.options(
        "/api/chat/sessions",
        headers={
            "Origin": DEMO_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == DEMO_ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"]
    created = gateway.post("/api/chat/sessions", json={"practice": "lakeside"}, headers={"Origin": DEMO_ORIGIN})
    assert created.status_code == 201
    assert created.headers["access-control-allow-origin"] == DEMO_ORIGIN
    assert "Origin" in created.headers["vary"]


def test_other_origins_get_no_cors_headers_and_are_refused(gateway: TestClient, database_url) -> None:
    preflight = gateway.options(
        "/api/chat/sessions", headers={"Origin": FOREIGN_ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in preflight.headers
    with session_scope(database_url) as session:
        before = session.query(Conversation).count()
    refused = gateway.post("/api/chat/sessions", json={}, headers={"Origin": FOREIGN_ORIGIN})
    assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers
    session_id, auth = _start(gateway)
    read = gateway.get(f"/api/chat/sessions/{session_id}/messages", headers={**auth, "Origin": FOREIGN_ORIGIN})
    assert read.status_code == 403 and "access-control-allow-origin" not in read.headers
    with session_scope(database_url) as session:
        assert session.query(Conversation).count() == before + 1  # only the one without an Origin


def test_the_gateways_own_origin_is_always_allowed(gateway: TestClient) -> None:
    own = "http://testserver"  # TestClient's host: the demo page calls the API same-origin
    response = gateway.post("/api/chat/sessions", json={}, headers={"Origin": own})
    assert response.status_code == 201 and response.headers["access-control-allow-origin"] == own


def test_origins_are_per_practice(gateway: TestClient, database_url) -> None:
    with session_scope(database_url) as session:
        session.add(
            Practice(
                slug="harbor",
                name="Harbor Therapy",
                timezone="America/Chicago",
                business_hours={},
                widget_allowed_origins=["https://harbor.example/"],
            )
        )
    harbor = {"Origin": "https://harbor.example"}
    assert gateway.get("/api/chat/practices/harbor", headers=harbor).json() == {
        "slug": "harbor",
        "name": "Harbor Therapy",
        "timezone": "America/Chicago",  # the widget shows times in it (issue 14)
    }
    assert gateway.get("/api/chat/practices/lakeside", headers=harbor).status_code == 403
    assert gateway.post("/api/chat/sessions", json={"practice": "lakeside"}, headers=harbor).status_code == 403
    created = gateway.post("/api/chat/sessions", json={"practice": "harbor"}, headers=harbor)
    assert created.status_code == 201
    assert created.headers["access-control-allow-origin"] == "https://harbor.example"
    lakeside_id, auth = _start(gateway)
    assert gateway.get(f"/api/chat/sessions/{lakeside_id}/messages", headers={**auth, **harbor}).status_code == 403
    # A new site is allowed as soon as it is added: nothing is cached.
    with session_scope(database_url) as session:
        lakeside = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        lakeside.widget_allowed_origins = [*lakeside.widget_allowed_origins, "https://harbor.example"]
    assert gateway.get(f"/api/chat/sessions/{lakeside_id}/messages", headers={**auth, **harbor}).status_code == 200


def test_session_creation_keeps_its_contract_and_takes_a_practice(gateway: TestClient) -> None:
    assert gateway.post("/api/chat/sessions", json={}).status_code == 201
    created = gateway.post("/api/chat/sessions", json={**JORDAN, "practice": "lakeside"})
    assert created.status_code == 201 and set(created.json()) == {"session_id", "token", "verified"}
    assert created.json()["verified"] is True
    assert gateway.post("/api/chat/sessions", json={"practice": "nowhere"}).status_code == 404
    assert gateway.post("/api/chat/sessions", json={"practice": "<script>"}).status_code == 422


# --- Transcript, stream, ending a chat ---------------------------------------------------------


def test_transcript_needs_the_sessions_own_token(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    other_id, other_auth = _start(gateway)
    first = _say(database_url, session_id, "Hello!")
    second = _say(
        database_url,
        session_id,
        "Pick one",
    )
    url = f"/api/chat/sessions/{session_id}/messages"
    assert gateway.get(url).status_code == 401
    assert gateway.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert gateway.get(url, headers=other_auth).status_code == 401  # another session's token
    assert gateway.get("/api/chat/sessions/nope/messages", headers=auth).status_code == 404
    body = gateway.get(url, headers=auth).json()
    assert [m["id"] for m in body["messages"]] == [first, second]
    assert body["messages"][0]["author"] == "bot" and body["state"] == "bot" and body["verified"] is False
    assert [m["id"] for m in gateway.get(url, params={"after": first}, headers=auth).json()["messages"]] == [second]
    page = gateway.get(url, params={"limit": 1}, headers=auth).json()
    assert len(page["messages"]) == 1 and page["has_more"] is True
    assert gateway.get(f"/api/chat/sessions/{other_id}/messages", headers=other_auth).json()["messages"] == []


def test_transcript_returns_hostile_text_as_data(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    hostile = "<img src=x onerror=window.__pwned=1>"
    _say(database_url, session_id, hostile, author=Author.REP)
    response = gateway.get(f"/api/chat/sessions/{session_id}/messages", headers=auth)
    assert response.headers["content-type"] == "application/json"
    assert response.json()["messages"][0]["text"] == hostile


def test_expired_session_is_401(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    with session_scope(database_url) as session:
        session.get(Conversation, session_id).last_activity_at = utcnow() - dt.timedelta(hours=2)
    assert gateway.get(f"/api/chat/sessions/{session_id}/messages", headers=auth).status_code == 401


def test_end_chat_revokes_the_token(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    token = gateway.post(f"/api/chat/sessions/{session_id}/stream-token", headers=auth).json()["stream_token"]
    assert gateway.delete(f"/api/chat/sessions/{session_id}", headers={"Authorization": "Bearer no"}).status_code == 401
    assert gateway.delete(f"/api/chat/sessions/{session_id}", headers=auth).status_code == 204
    base = f"/api/chat/sessions/{session_id}"
    assert gateway.get(f"{base}/messages", headers=auth).status_code == 401
    assert gateway.post(f"{base}/messages", json={"text": "hi"}, headers=auth).status_code == 401
    assert gateway.post(f"{base}/stream-token", headers=auth).status_code == 401
    assert gateway.get(f"{base}/events", params={"stream_token": token}).status_code == 401
    assert gateway.delete(base, headers=auth).status_code == 401
    with session_scope(database_url) as session:
        conversation = session.get(Conversation, session_id)
        assert conversation.token_hash is None and conversation.state is ConversationState.RESOLVED


def test_stream_sends_new_messages_and_resumes_after_last_event_id(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    ids = [_say(database_url, session_id, f"message {n}") for n in range(3)]
    events = _events(gateway, session_id, auth)
    assert [int(i) for e, i, _ in events if e == "message"] == ids
    assert any(e == "state" and '"bot"' in d for e, _, d in events)
    # A reconnect sends Last-Event-ID: exactly what came after it, no duplicates, no gaps.
    ids.append(_say(database_url, session_id, "message 3", author=Author.REP))
    resumed = _events(gateway, session_id, auth, headers={"Last-Event-ID": str(ids[1])})
    assert [int(i) for e, i, _ in resumed if e == "message"] == ids[2:]
    # A fresh EventSource (no Last-Event-ID) says where it is with ?after=.
    fresh = _events(gateway, session_id, auth, params={"after": ids[2]})
    assert [int(i) for e, i, _ in fresh if e == "message"] == ids[3:]


def test_stream_needs_a_valid_stream_token(gateway: TestClient) -> None:
    session_id, auth = _start(gateway)
    other_id, other_auth = _start(gateway)
    url = f"/api/chat/sessions/{session_id}/events"
    assert gateway.get(url).status_code == 422
    assert gateway.get(url, params={"stream_token": "123.abc"}).status_code == 401
    assert gateway.get(url, params={"stream_token": auth["Authorization"][7:]}).status_code == 401
    other = gateway.post(f"/api/chat/sessions/{other_id}/stream-token", headers=other_auth).json()["stream_token"]
    assert gateway.get(url, params={"stream_token": other}).status_code == 401  # another session's
    expired = "1." + other.split(".", 1)[1]
    assert gateway.get(f"/api/chat/sessions/{other_id}/events", params={"stream_token": expired}).status_code == 401


def test_rep_messages_carry_the_name_of_the_rep_who_sent_them(gateway: TestClient, database_url) -> None:
    """The name the client sees is the console's record of who sent the reply: here Sam
    claimed the chat, and Robin, an admin, replied after taking it over (claim times alone
    would have said Sam)."""
    session_id, auth = _start(gateway)
    with session_scope(database_url) as session:
        conversation = session.get(Conversation, session_id)
        sam, robin = (
            models.Rep(
                practice_id=conversation.practice_id,
                email=f"{name.lower()}-{session_id[:8]}@lakeside.example",
                display_name=name,
                password_hash="not-a-real-hash",
            )
            for name in ("Sam", "Robin")
        )
        session.add_all([sam, robin])
        session.flush()
        ticket = HandoffTicket(
            conversation_id=session_id,
            reason=HandoffReason.REQUESTED,
            priority=4,
            state=TicketState.CLAIMED,
            claimed_by_rep_id=sam.id,
            claimed_at=utcnow() - dt.timedelta(seconds=5),
        )
        session.add(ticket)
        conversation.state = ConversationState.WITH_REP
        session.flush()
        console.reply(session, conversation, sam, "Hi, this is Sam.")
        ticket.claimed_by_rep_id = robin.id  # Robin takes over; no new claim time
        console.reply(session, conversation, robin, "Robin here, I can help with that.")
    body = gateway.get(f"/api/chat/sessions/{session_id}/messages", headers=auth).json()
    assert body["state"] == "with_rep"
    assert [(m["author"], m["author_name"]) for m in body["messages"]] == [("rep", "Sam"), ("rep", "Robin")]


# --- Verification by a texted code ------------------------------------------------------------


def test_code_request_answers_the_same_whether_or_not_the_details_match(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    url = f"/api/chat/sessions/{session_id}/verify/code-request"
    matched = gateway.post(url, json=JORDAN, headers=auth)
    other_id, other_auth = _start(gateway)
    unmatched = gateway.post(
        f"/api/chat/sessions/{other_id}/verify/code-request",
        json={"name": "Jordan Lee", "date_of_birth": "1991-04-12"},
        headers=other_auth,
    )
    assert matched.status_code == unmatched.status_code == 202
    assert matched.json() == unmatched.json()
    assert len([t for t in _texts_to(database_url, JORDAN_MOBILE) if "verification code" in t]) == 1
    with session_scope(database_url) as session:
        assert session.scalars(select(VerificationCode).where(VerificationCode.conversation_id == other_id)).all() == []


def test_the_code_is_texted_hashed_at_rest_and_verifies(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    gateway.post(f"/api/chat/sessions/{session_id}/verify/code-request", json=JORDAN, headers=auth)
    (text,) = [t for t in _texts_to(database_url, JORDAN_MOBILE) if "verification code" in t]
    assert re.fullmatch(r"Your Lakeside Counseling verification code is \d{6}\. It expires in 10 minutes\.", text)
    code = _latest_code(database_url)
    with session_scope(database_url) as session:
        (row,) = session.scalars(select(VerificationCode).where(VerificationCode.conversation_id == session_id))
        assert row.code_hash.startswith("$argon2id$") and code not in row.code_hash
        remaining = row.expires_at - utcnow()
        assert dt.timedelta(minutes=9) < remaining <= dt.timedelta(minutes=10)
    result = gateway.post(f"/api/chat/sessions/{session_id}/verify/code", json={"code": code}, headers=auth)
    assert result.status_code == 200 and result.json()["verified"] is True
    with session_scope(database_url) as session:
        conversation = session.get(Conversation, session_id)
        assert conversation.client is not None and conversation.client.first_name == "Jordan"
        assert session.get(VerificationCode, row.id).used_at is not None
    # Used once: the same code does nothing for another chat.
    other_id, other_auth = _start(gateway)
    again = gateway.post(f"/api/chat/sessions/{other_id}/verify/code", json={"code": code}, headers=other_auth)
    assert again.json()["verified"] is False


def test_an_expired_code_does_not_verify(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    gateway.post(f"/api/chat/sessions/{session_id}/verify/code-request", json=JORDAN, headers=auth)
    code = _latest_code(database_url)
    with session_scope(database_url) as session:
        for row in session.scalars(select(VerificationCode).where(VerificationCode.conversation_id == session_id)):
            row.expires_at = utcnow() - dt.timedelta(seconds=1)
    result = gateway.post(f"/api/chat/sessions/{session_id}/verify/code", json={"code": code}, headers=auth).json()
    assert result["verified"] is False and result["error"] == "wrong_code"
    with session_scope(database_url) as session:
        assert session.get(Conversation, session_id).client_id is None


def test_a_new_code_replaces_the_old_one(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    url = f"/api/chat/sessions/{session_id}/verify"
    gateway.post(f"{url}/code-request", json=JORDAN, headers=auth)
    first = _latest_code(database_url)
    gateway.post(f"{url}/code-request", json=JORDAN, headers=auth)
    second = _latest_code(database_url)
    if first != second:
        assert gateway.post(f"{url}/code", json={"code": first}, headers=auth).json()["verified"] is False
    assert gateway.post(f"{url}/code", json={"code": second}, headers=auth).json()["verified"] is True


def test_five_wrong_codes_hand_off_to_a_person(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    url = f"/api/chat/sessions/{session_id}/verify"
    gateway.post(f"{url}/code-request", json=JORDAN, headers=auth)
    code = _latest_code(database_url)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for attempt in range(1, MAX_CODE_ATTEMPTS):
        result = gateway.post(f"{url}/code", json={"code": wrong}, headers=auth).json()
        assert result == {
            "verified": False,
            "error": "wrong_code",
            "attempts_left": MAX_CODE_ATTEMPTS - attempt,
            "state": "bot",
        }
    last = gateway.post(f"{url}/code", json={"code": wrong}, headers=auth).json()
    assert last == {"verified": False, "error": "locked", "attempts_left": 0, "state": "handoff_pending"}
    # Even the right code no longer works, and asking for new codes does not reset the count.
    assert gateway.post(f"{url}/code", json={"code": code}, headers=auth).json()["error"] == "locked"
    with session_scope(database_url) as session:
        (ticket,) = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == session_id))
        assert ticket.reason is HandoffReason.VERIFICATION_FAILED
        assert session.get(Conversation, session_id).client_id is None
    transcript = gateway.get(f"/api/chat/sessions/{session_id}/messages", headers=auth).json()["messages"]
    locked = transcript[-1]["text"]
    assert transcript[-1]["author"] == "system"
    # The locked-code reply now carries the same honest promise as every hand-off.
    assert locked.startswith("I couldn't confirm that code, so I've asked our front desk team to help; ")
    assert "a person will reply right here " in locked
    assert locked.endswith("If this is an emergency, call 911, or call or text 988.")


def test_guessing_without_a_code_counts_too_and_reads_the_same(gateway: TestClient) -> None:
    session_id, auth = _start(gateway)
    url = f"/api/chat/sessions/{session_id}/verify"
    gateway.post(f"{url}/code-request", json={"name": "No Body", "date_of_birth": "1990-04-12"}, headers=auth)
    result = gateway.post(f"{url}/code", json={"code": "123456"}, headers=auth).json()
    assert result == {"verified": False, "error": "wrong_code", "attempts_left": MAX_CODE_ATTEMPTS - 1, "state": "bot"}
    assert gateway.post(f"{url}/code", json={"code": "12345"}, headers=auth).status_code == 422


def test_code_requests_are_limited_per_chat(gateway: TestClient, database_url) -> None:
    session_id, auth = _start(gateway)
    url = f"/api/chat/sessions/{session_id}/verify/code-request"
    statuses = [gateway.post(url, json=JORDAN, headers=auth).status_code for _ in range(4)]
    assert statuses == [202, 202, 202, 429]
    assert len([t for t in _texts_to(database_url, JORDAN_MOBILE) if "verification code" in t]) == 3


def test_no_code_is_texted_to_a_number_that_opted_out(gateway: TestClient, database_url) -> None:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        session.add(SmsOptOut(practice_id=practice.id, phone_e164=JORDAN_MOBILE, source="keyword", keyword="STOP"))
    session_id, auth = _start(gateway)
    response = gateway.post(f"/api/chat/sessions/{session_id}/verify/code-request", json=JORDAN, headers=auth)
    assert response.status_code == 202
    assert not [t for t in _texts_to(database_url, JORDAN_MOBILE) if "verification code" in t]


def test_an_open_event_stream_does_not_hold_up_shutdown(database_url, tmp_path) -> None:
    """A real uvicorn: SIGTERM with a widget's stream open must not wait for the stream."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ASSISTANT_ENV": "test",
        "PORT": str(port),
        "RASA_URL": "http://127.0.0.1:1",
        "ACTION_SERVER_URL": "http://127.0.0.1:1",
    }
    log = open(tmp_path / "gateway.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "assistant.api.main:app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                created = httpx.post(f"{base}/api/chat/sessions", json={}, timeout=2).json()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, (tmp_path / "gateway.log").read_text()
                time.sleep(0.2)
        auth = {"Authorization": f"Bearer {created['token']}"}
        token = httpx.post(f"{base}/api/chat/sessions/{created['session_id']}/stream-token", headers=auth).json()[
            "stream_token"
        ]
        with httpx.stream(
            "GET",
            f"{base}/api/chat/sessions/{created['session_id']}/events",
            params={"stream_token": token},
            timeout=30,
        ) as stream:
            first = next(stream.iter_lines())
            assert first.startswith("retry:")
            started = time.monotonic()
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
            assert time.monotonic() - started < 5
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()
