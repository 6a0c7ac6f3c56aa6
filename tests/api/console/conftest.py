"""The gateway in-process with the rep console: several browser-like clients (reps,
admins, chat visitors) share one app and one fresh database; Rasa is not running.

Clients use http://localhost so the session cookie is not marked Secure (httpx
would not send a Secure cookie over plain http)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.main import create_app
from assistant.services import reps as rep_accounts
from assistant.store.engine import session_scope
from assistant.store.models import Channel, Conversation, Practice, RepRole
from tests.support.console import (
    ADMIN,
    JORDAN,
    OTHER_REP,
    REP,
    Chat,
    Signed,
    make_settings,
    sign_in,
)


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    application = create_app(make_settings(database_url))
    with TestClient(application, base_url="http://localhost"):  # runs the lifespan once
        yield application


@pytest.fixture
def browser(app: FastAPI) -> Callable[[], TestClient]:
    """A new cookie jar on the same app."""
    return lambda: TestClient(app, base_url="http://localhost")


@pytest.fixture
def rep(browser) -> Signed:
    return sign_in(browser(), *REP)


@pytest.fixture
def admin(browser) -> Signed:
    return sign_in(browser(), *ADMIN)


@pytest.fixture
def open_handoff_chat(browser) -> Callable[[], Chat]:
    """A verified web chat (Jordan) whose first message is handed to a person (the bot is down)."""

    def _open() -> Chat:
        http = browser()
        created = http.post("/api/chat/sessions", json=JORDAN).json()
        chat = Chat(http, created["session_id"], created["token"])
        assert chat.send("hello, can you help")["state"] == "handoff_pending"
        return chat

    return _open


@dataclass
class OtherPractice:
    conversation_id: str
    signed: Signed


@pytest.fixture
def other_practice(database_url: str, browser) -> OtherPractice:
    """A second practice with its own rep and a conversation of its own."""
    with session_scope(database_url) as session:
        practice = Practice(
            slug="elsewhere",
            name="Elsewhere Therapy",
            timezone="America/Chicago",
            business_hours={},
            cancellation_window_hours=24,
            late_cancel_fee_cents=0,
            response_window_minutes=30,
            session_minutes=50,
            sms_clinical_details_allowed=False,
        )
        session.add(practice)
        session.flush()
        rep_accounts.create_rep(
            session,
            practice_id=practice.id,
            email=OTHER_REP[0],
            display_name="Other Rep",
            password=OTHER_REP[1],
            role=RepRole.ADMIN,
        )
        conversation = Conversation(practice_id=practice.id, channel=Channel.WEB)
        session.add(conversation)
        session.flush()
        conversation_id = conversation.id
    return OtherPractice(conversation_id, sign_in(browser(), *OTHER_REP))
