"""The safety check-in by text (docs/crisis.md): after the bot asked "are you safe right
now?", a texted "no" opens the full crisis protocol and "yes just the portal" carries on
with the task, exactly as in web chat.  A fake Rasa records what the model is sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.config import Settings
from assistant.wording.catalog import text
from tests.support.clients import JORDAN, create_client
from tests.support.fake_rasa import FakeRasa
from tests.support.fake_twilio import FakeTwilio
from tests.support.safety_check import ask_check_in, check_in_of, crisis_tickets
from tests.support.sms_gateway import Texter, answered, settings_with_bot

PORTAL_STEPS = "Here is how to get back into the portal."


@pytest.fixture
def fake_rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa(replies={"/portal_login_help": [{"text": PORTAL_STEPS}]}).start()
    yield fake
    fake.stop()


@pytest.fixture
def sms_settings(database_url: str, fake_twilio: FakeTwilio, redis_url: str, fake_rasa: FakeRasa) -> Settings:
    return settings_with_bot(database_url, fake_twilio.url, redis_url, fake_rasa.url)


def test_texted_no_opens_the_full_crisis_protocol(texter: Texter, database_url: str, fake_rasa: FakeRasa) -> None:
    own = create_client(database_url, JORDAN)
    conversation_id, _ = answered(texter, database_url, own.mobile, "hi")
    ask_check_in(database_url, conversation_id, "portal_login_help")
    _, answers = answered(texter, database_url, own.mobile, "no not really")
    assert answers == [text("crisis.reply")]
    assert crisis_tickets(database_url, conversation_id) == [{"detected_by": "check_in"}]
    assert fake_rasa.heard == ["hi"]


def test_texted_yes_carries_on_with_the_task(texter: Texter, database_url: str, fake_rasa: FakeRasa) -> None:
    own = create_client(database_url, JORDAN)
    conversation_id, _ = answered(texter, database_url, own.mobile, "hi")
    ask_check_in(database_url, conversation_id, "portal_login_help")
    _, answers = answered(texter, database_url, own.mobile, "ya im ok just the portal thing")
    assert answers == [text("crisis_check.glad"), PORTAL_STEPS]
    assert fake_rasa.heard == ["hi", "/portal_login_help"]
    assert crisis_tickets(database_url, conversation_id) == []
    assert check_in_of(database_url, conversation_id) == (False, False, None)
