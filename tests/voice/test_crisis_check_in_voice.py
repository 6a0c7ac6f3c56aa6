"""The safety check-in on a call (docs/crisis.md): after the bot asked "are you safe right
now?", a spoken "no" gets the spoken crisis help and the transfer to on-call; "yes" carries
on with the caller's task.  A fake Rasa records what the dialogue model is sent."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import Call
from tests.support.fake_rasa import FakeRasa
from tests.support.safety_check import ask_check_in, crisis_tickets
from tests.support.voice_caller import Caller


def _conversation_of(database_url: str, caller: Caller) -> str:
    with session_scope(database_url) as session:
        return session.scalars(select(Call.conversation_id).where(Call.call_sid == caller.call_sid)).one()


def test_spoken_no_gets_crisis_help_and_on_call(
    call: Callable[..., Caller], database_url: str, fake_rasa: FakeRasa
) -> None:
    caller = call()
    caller.ring()
    caller.say("hi there")
    conversation_id = _conversation_of(database_url, caller)
    ask_check_in(database_url, conversation_id, "portal_login_help")
    heard = caller.say("no i'm not")
    assert "988" in heard.speech and "911" in heard.speech and heard.has("Dial")
    assert crisis_tickets(database_url, conversation_id) == [{"detected_by": "check_in"}]
    assert fake_rasa.heard == ["hi there"]


def test_spoken_yes_carries_on_with_the_task(
    call: Callable[..., Caller], database_url: str, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies["/portal_login_help"] = [{"text": "I can text you a link to reset your portal password."}]
    caller = call()
    caller.ring()
    caller.say("hi there")
    conversation_id = _conversation_of(database_url, caller)
    ask_check_in(database_url, conversation_id, "portal_login_help")
    heard = caller.say("yes i'm fine")
    assert "reset your portal password" in heard.speech and not heard.has("Dial")
    assert fake_rasa.heard == ["hi there", "/portal_login_help"]
    assert crisis_tickets(database_url, conversation_id) == []
