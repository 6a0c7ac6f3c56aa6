"""While the bot is out: the gateway keeps accepting, web chat says "one moment", SMS says
nothing extra; when the bot is back the held messages are answered in order; a message
that waited longer than the hold is handed to a person (conversation/outage.py).

The gateway runs in-process with its background parts (workers, recovery, outbox); the
bot is a local fake Rasa on a fixed port, absent (connection refused) until a test starts
it.  It also stands in for the action server's /health, so "the bot is back" means both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.stack import free_port
from assistant.store.engine import session_scope
from assistant.store.models import Conversation, ConversationState, Direction, HandoffTicket, Message, MessageStatus
from assistant.wording.catalog import text
from tests.support.fake_rasa import FakeRasa
from tests.support.fake_twilio import FakeTwilio
from tests.support.sms_gateway import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL, Texter, wait_until

JORDAN = "+15555550123"  # a demo client, the only one on file for this number
ONE_MOMENT = text("service.one_moment")
TROUBLE = text("service.trouble")
DEADLINE = 20.0


@pytest.fixture
def rasa_port() -> int:
    return free_port()


@pytest.fixture
def make_gateway(
    demo_database_url: str, rasa_port: int, fake_twilio: FakeTwilio
) -> Iterator[Callable[..., TestClient]]:
    opened: list[TestClient] = []

    def make(hold_seconds: float, action_server_url: str | None = None) -> TestClient:
        bot_url = f"http://127.0.0.1:{rasa_port}"
        settings = Settings(
            assistant_env="test",
            database_url=demo_database_url,
            rasa_url=bot_url,
            action_server_url=action_server_url or bot_url,
            rasa_timeout_seconds=2,
            bot_outage_hold_seconds=hold_seconds,
            public_base_url=PUBLIC_BASE_URL,
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_api_base_url=fake_twilio.url,
            twilio_timeout_seconds=1.0,
        )
        client = TestClient(create_app(settings))
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def bot(rasa_port: int) -> Iterator[FakeRasa]:
    """The bot, not started yet: the outage is on until the test calls `start()`."""
    fake = FakeRasa(port=rasa_port, default=[])
    fake.replies = {words: [{"text": f"answer to {words}"}] for words in ("first", "second", "third")}
    yield fake
    if fake.server is not None:
        fake.stop()


def _chat(gateway: TestClient) -> tuple[str, dict[str, str]]:
    created = gateway.post("/api/chat/sessions", json={}).json()
    return created["session_id"], {"Authorization": f"Bearer {created['token']}"}


def _said(database_url: str, conversation_id: str) -> list[tuple[str, str]]:
    with session_scope(database_url) as session:
        rows = session.execute(
            select(Message.direction, Message.text)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.id)
        ).all()
    return [(row.direction.value, row.text) for row in rows]


def _state(database_url: str, conversation_id: str) -> ConversationState:
    with session_scope(database_url) as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None
        return conversation.state


def test_web_chat_says_one_moment_and_answers_in_order_when_the_bot_is_back(
    make_gateway: Callable[..., TestClient], bot: FakeRasa, demo_database_url: str
) -> None:
    gateway = make_gateway(60)
    session_id, auth = _chat(gateway)
    for words in ("first", "second"):
        response = gateway.post(f"/api/chat/sessions/{session_id}/messages", json={"text": words}, headers=auth)
        assert response.status_code == 200
        assert response.json() == {"replies": [{"text": ONE_MOMENT, "buttons": []}], "state": "bot", "pending": True}
    assert _said(demo_database_url, session_id) == [("inbound", "first"), ("inbound", "second")]

    bot.start()
    wait_until(lambda: len(_said(demo_database_url, session_id)) == 4, DEADLINE)

    assert bot.heard == ["first", "second"]
    assert _said(demo_database_url, session_id) == [
        ("inbound", "first"),
        ("inbound", "second"),
        ("outbound", "answer to first"),
        ("outbound", "answer to second"),
    ]
    assert _state(demo_database_url, session_id) is ConversationState.BOT
    answered = gateway.post(f"/api/chat/sessions/{session_id}/messages", json={"text": "third"}, headers=auth)
    assert answered.json() == {"replies": [{"text": "answer to third", "buttons": []}], "state": "bot"}


def test_a_message_held_longer_than_the_hold_is_handed_to_a_person(
    make_gateway: Callable[..., TestClient], demo_database_url: str
) -> None:
    gateway = make_gateway(1.0)
    session_id, auth = _chat(gateway)
    response = gateway.post(f"/api/chat/sessions/{session_id}/messages", json={"text": "first"}, headers=auth)
    assert response.json()["pending"] is True

    wait_until(lambda: _state(demo_database_url, session_id) is ConversationState.HANDOFF_PENDING, DEADLINE)

    assert _said(demo_database_url, session_id) == [("inbound", "first"), ("outbound", TROUBLE)]
    with session_scope(demo_database_url) as session:
        (ticket,) = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == session_id)).all()
        assert ticket.reason.value == "repeated_failure"


def test_an_action_server_outage_is_waited_out_too(
    make_gateway: Callable[..., TestClient], bot: FakeRasa, demo_database_url: str
) -> None:
    """Rasa is up but says nothing, and the action server's /health fails: held, not handed off."""
    bot.replies = {}  # silent, as Rasa is when its custom actions cannot run
    bot.start()
    gateway = make_gateway(60, action_server_url=f"http://127.0.0.1:{free_port()}")
    session_id, auth = _chat(gateway)

    response = gateway.post(f"/api/chat/sessions/{session_id}/messages", json={"text": "first"}, headers=auth)

    assert response.json() == {"replies": [{"text": ONE_MOMENT, "buttons": []}], "state": "bot", "pending": True}
    assert bot.heard == ["first"]
    assert _said(demo_database_url, session_id) == [("inbound", "first")]
    assert _state(demo_database_url, session_id) is ConversationState.BOT


def test_sms_gets_nothing_extra_while_the_bot_is_briefly_out_then_its_answer(
    make_gateway: Callable[..., TestClient], bot: FakeRasa, fake_twilio: FakeTwilio, demo_database_url: str
) -> None:
    gateway = make_gateway(60)
    texter = Texter(gateway)
    texter.text(JORDAN, "first")
    texter.settle()
    assert fake_twilio.sent_to(JORDAN) == []
    with session_scope(demo_database_url) as session:
        (held,) = session.scalars(select(Message).where(Message.direction == Direction.INBOUND)).all()
        assert held.status is MessageStatus.RECEIVED

    bot.start()
    wait_until(lambda: len(fake_twilio.sent_to(JORDAN)) == 1, DEADLINE)

    assert bot.heard == ["first"]
    assert "answer to first" in str(fake_twilio.sent_to(JORDAN)[0])


def test_sms_gets_the_hand_off_text_after_the_hold(
    make_gateway: Callable[..., TestClient], fake_twilio: FakeTwilio
) -> None:
    gateway = make_gateway(1.0)
    Texter(gateway).text(JORDAN, "first")

    wait_until(lambda: len(fake_twilio.sent_to(JORDAN)) == 1, DEADLINE)

    assert "trouble on my side" in str(fake_twilio.sent_to(JORDAN)[0])
