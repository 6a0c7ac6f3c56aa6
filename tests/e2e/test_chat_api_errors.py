"""The web chat contract's failure cases: clear 4xx, nothing stored, nothing crashes."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from assistant.store.engine import session_scope
from assistant.store.models import Message


def _message_count(database_url: str) -> int:
    with session_scope(database_url) as session:
        return session.scalar(select(func.count()).select_from(Message))


def test_wrong_token_is_401_and_unknown_session_404(stack, http: httpx.Client, open_chat) -> None:
    chat = open_chat()
    before = _message_count(stack.database_url)
    url = f"/api/chat/sessions/{chat.session_id}/messages"
    assert http.post(url, json={"text": "hi"}, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert http.post(url, json={"text": "hi"}).status_code == 401
    unknown = http.post(
        "/api/chat/sessions/does-not-exist/messages",
        json={"text": "hi"},
        headers={"Authorization": f"Bearer {chat.token}"},
    )
    assert unknown.status_code == 404
    assert _message_count(stack.database_url) == before


def test_bad_bodies_are_422_with_a_clear_message(stack, http: httpx.Client, open_chat) -> None:
    chat = open_chat()
    url = f"/api/chat/sessions/{chat.session_id}/messages"
    auth = {"Authorization": f"Bearer {chat.token}"}
    before = _message_count(stack.database_url)
    cases = [
        ({"json": {"text": ""}}, "empty"),
        ({"json": {"text": "   "}}, "empty"),
        ({"json": {"text": "x" * 2001}}, "2000"),
        ({"json": {}}, "text"),
        ({"json": {"text": 5}}, "string"),
        ({"json": {"text": "hi", "admin": True}}, "admin"),
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, "JSON"),
        ({"content": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}, "JSON decode error"),
    ]
    for kwargs, expected in cases:
        headers = {**auth, **kwargs.pop("headers", {})}
        response = http.post(url, headers=headers, **kwargs)
        assert response.status_code == 422, (kwargs, response.text)
        assert expected in response.json()["detail"], response.json()
    assert _message_count(stack.database_url) == before
    assert http.get("/healthz").status_code == 200


def test_session_creation_validates_identity_fields(http: httpx.Client, new_client) -> None:
    own = new_client()  # a wrong date of birth counts against the client: not a demo client
    assert http.post("/api/chat/sessions", json={"name": own.name}).status_code == 422
    assert http.post("/api/chat/sessions", json={"name": own.name, "date_of_birth": "not-a-date"}).status_code == 422
    wrong = http.post(
        "/api/chat/sessions", json={"name": own.name, "date_of_birth": own.wrong_date_of_birth.isoformat()}
    )
    assert wrong.status_code == 201 and wrong.json()["verified"] is False
    empty = http.post("/api/chat/sessions")
    assert empty.status_code == 201 and empty.json()["verified"] is False


def test_maximum_length_message_is_accepted(open_chat) -> None:
    chat = open_chat()
    chat.send("hello " + "a" * 1990)
