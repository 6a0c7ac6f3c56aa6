"""The safety check-in through the web chat API (docs/crisis.md): the bot asked "are you
safe right now?" because the model, not the rule screen, read a crisis; the client's
answer decides.  A fake Rasa records what the dialogue model is sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.wording.catalog import text
from tests.support.fake_rasa import FakeRasa
from tests.support.safety_check import ask_check_in, check_in_of, crisis_tickets

PORTAL_STEPS = [{"text": "Here is how to get back into the portal."}]


@pytest.fixture
def database_url(demo_database_url: str) -> str:
    return demo_database_url


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa(replies={"/portal_login_help": PORTAL_STEPS}).start()
    yield fake
    fake.stop()


@pytest.fixture
def gateway(database_url: str, fake_rasa: FakeRasa) -> Iterator[TestClient]:
    settings = Settings(
        assistant_env="test",
        database_url=database_url,
        rasa_url=fake_rasa.url,
        action_server_url=fake_rasa.url,
        rasa_timeout_seconds=5,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _start(gateway: TestClient) -> tuple[str, dict[str, str]]:
    created = gateway.post("/api/chat/sessions", json={}).json()
    return created["session_id"], {"Authorization": f"Bearer {created['token']}"}


def _say(gateway: TestClient, session_id: str, auth: dict[str, str], words: str) -> dict[str, object]:
    response = gateway.post(f"/api/chat/sessions/{session_id}/messages", json={"text": words}, headers=auth)
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


def _texts(body: dict[str, object]) -> list[str]:
    replies = body["replies"]
    assert isinstance(replies, list)
    return [reply["text"] for reply in replies]


@pytest.mark.parametrize("answer", ["yes im fine, just the portal", "lol yes", "no no i'm ok", "yeah 👍"])
def test_safe_carries_on_with_the_task_the_first_message_asked_for(
    gateway: TestClient, database_url: str, fake_rasa: FakeRasa, answer: str
) -> None:
    session_id, auth = _start(gateway)
    ask_check_in(database_url, session_id, "portal_login_help")
    body = _say(gateway, session_id, auth, answer)
    assert _texts(body) == [text("crisis_check.glad"), PORTAL_STEPS[0]["text"]]
    assert body["state"] == "bot"
    assert fake_rasa.heard == ["/portal_login_help"]  # the task, not the answer, nor the first message again
    assert crisis_tickets(database_url, session_id) == []
    assert check_in_of(database_url, session_id) == (False, False, None)


def test_safe_with_no_task_held_asks_what_next_without_the_bot(
    gateway: TestClient, database_url: str, fake_rasa: FakeRasa
) -> None:
    session_id, auth = _start(gateway)
    ask_check_in(database_url, session_id, None)
    body = _say(gateway, session_id, auth, "yes i'm safe")
    assert _texts(body) == [text("crisis_check.glad_what_next")]
    assert fake_rasa.heard == [] and crisis_tickets(database_url, session_id) == []


@pytest.mark.parametrize("answer", ["no", "not really", "i don't know", "idk", "not sure tbh", "kinda"])
def test_not_safe_or_unsure_opens_the_full_crisis_protocol(
    gateway: TestClient, database_url: str, fake_rasa: FakeRasa, answer: str
) -> None:
    session_id, auth = _start(gateway)
    ask_check_in(database_url, session_id, "portal_login_help")
    body = _say(gateway, session_id, auth, answer)
    assert _texts(body) == [text("crisis.reply")]
    assert body["state"] == "handoff_pending"
    assert fake_rasa.heard == []
    assert crisis_tickets(database_url, session_id) == [{"detected_by": "check_in"}]
    assert check_in_of(database_url, session_id) == (False, False, None)


def test_an_answer_the_screen_flags_is_a_crisis_whatever_else_it_says(
    gateway: TestClient, database_url: str, fake_rasa: FakeRasa
) -> None:
    session_id, auth = _start(gateway)
    ask_check_in(database_url, session_id, "portal_login_help")
    body = _say(gateway, session_id, auth, "yes but honestly i want to die")
    assert _texts(body) == [text("crisis.reply")]
    assert crisis_tickets(database_url, session_id) == [{"detected_by": "screen"}]
    assert check_in_of(database_url, session_id) == (False, False, None)


def test_moving_on_without_answering_goes_to_the_bot_and_is_remembered(
    gateway: TestClient, database_url: str, fake_rasa: FakeRasa
) -> None:
    session_id, auth = _start(gateway)
    ask_check_in(database_url, session_id, "portal_login_help")
    _say(gateway, session_id, auth, "how do i reset my password")
    assert fake_rasa.heard == ["how do i reset my password"]
    # Not pending any more, but asked: a second crisis reading soon goes to the full protocol.
    assert check_in_of(database_url, session_id) == (False, True, None)
    assert crisis_tickets(database_url, session_id) == []


def test_without_a_check_in_yes_and_no_are_ordinary_messages(
    gateway: TestClient, database_url: str, fake_rasa: FakeRasa
) -> None:
    session_id, auth = _start(gateway)
    _say(gateway, session_id, auth, "no")
    assert fake_rasa.heard == ["no"] and crisis_tickets(database_url, session_id) == []
