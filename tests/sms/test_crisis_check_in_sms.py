"""The safety check-in by text (docs/crisis.md): after the bot asked "are you safe right
now?", a texted "no" opens the full crisis protocol and "yes just the portal" carries on
with the task, exactly as in web chat.  A fake Rasa records what the model is sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from assistant.config import Settings
from assistant.stack import free_port
from assistant.store.engine import session_scope
from assistant.store.models import Direction, Message
from assistant.wording.catalog import text
from tests.support.clients import JORDAN, create_client
from tests.support.fake_rasa import FakeRasa
from tests.support.fake_twilio import FakeTwilio
from tests.support.safety_check import ask_check_in, check_in_of, crisis_tickets
from tests.support.sms_gateway import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL, Texter

PORTAL_STEPS = "Here is how to get back into the portal."


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa(replies={"/portal_login_help": [{"text": PORTAL_STEPS}]}).start()
    yield fake
    fake.stop()


@pytest.fixture
def sms_settings(database_url: str, fake_twilio: FakeTwilio, redis_url: str, fake_rasa: FakeRasa) -> Settings:
    return Settings(
        assistant_env="test",
        database_url=database_url,
        rasa_url=fake_rasa.url,
        action_server_url=f"http://127.0.0.1:{free_port()}",
        rasa_timeout_seconds=5,
        public_base_url=PUBLIC_BASE_URL,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_base_url=fake_twilio.url,
        twilio_timeout_seconds=1.0,
        sms_rate_limit_per_minute=30,
        redis_url=redis_url,
    )


def _text(texter: Texter, database_url: str, number: str, body: str) -> tuple[str, list[str]]:
    """(conversation id, the texts the practice answered with)."""
    form = texter.text(number, body)
    texter.settle()
    with session_scope(database_url) as session:
        inbound = session.scalars(select(Message).where(Message.external_id == form["MessageSid"])).one()
        answers = session.scalars(
            select(Message.text)
            .where(
                Message.conversation_id == inbound.conversation_id,
                Message.direction == Direction.OUTBOUND,
                Message.id > inbound.id,
            )
            .order_by(Message.id)
        ).all()
        return inbound.conversation_id, list(answers)


def test_texted_no_opens_the_full_crisis_protocol(texter: Texter, database_url: str, fake_rasa: FakeRasa) -> None:
    own = create_client(database_url, JORDAN)
    conversation_id, _ = _text(texter, database_url, own.mobile, "hi")
    ask_check_in(database_url, conversation_id, "portal_login_help")
    _, answers = _text(texter, database_url, own.mobile, "no not really")
    assert answers == [text("crisis.reply")]
    assert crisis_tickets(database_url, conversation_id) == [{"detected_by": "check_in"}]
    assert fake_rasa.heard == ["hi"]


def test_texted_yes_carries_on_with_the_task(texter: Texter, database_url: str, fake_rasa: FakeRasa) -> None:
    own = create_client(database_url, JORDAN)
    conversation_id, _ = _text(texter, database_url, own.mobile, "hi")
    ask_check_in(database_url, conversation_id, "portal_login_help")
    _, answers = _text(texter, database_url, own.mobile, "ya im ok just the portal thing")
    assert answers == [text("crisis_check.glad"), PORTAL_STEPS]
    assert fake_rasa.heard == ["hi", "/portal_login_help"]
    assert crisis_tickets(database_url, conversation_id) == []
    assert check_in_of(database_url, conversation_id) == (False, False, None)
