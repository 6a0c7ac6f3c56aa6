"""A caller's turns in-process, with a fake bot: the latency budget (a slow bot never
leaves dead air; a dead one offers a person or a message), who is calling, and the
date-of-birth check counted per client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.services.identity_guard import NAME_DOB_FAILED
from assistant.stack import free_port
from assistant.store.engine import session_scope
from assistant.store.models import (
    AuditEvent,
    Call,
    CallStage,
    Client,
    Conversation,
    HandoffReason,
    HandoffTicket,
    Practice,
)
from tests.support.fake_rasa import FakeRasa
from tests.support.practices import create_practice
from tests.support.sms_gateway import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_BASE_URL
from tests.support.voice_caller import Caller

DOB = dt.date(1984, 7, 9)


def _row(database_url: str, caller: Caller) -> Call:
    with session_scope(database_url) as session:
        row = session.scalars(select(Call).where(Call.call_sid == caller.call_sid)).one()
        session.expunge(row)
        return row


def _add_client(database_url: str, first_name: str, mobile: str, date_of_birth: dt.date = DOB) -> int:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).first()
        assert practice is not None
        client = Client(
            practice_id=practice.id,
            first_name=first_name,
            last_name="Voicetest",
            mobile_e164=mobile,
            date_of_birth=date_of_birth,
            sms_consent=True,
        )
        session.add(client)
        session.flush()
        return client.id


def test_a_slow_bot_gets_a_filler_and_a_redirect_then_the_reply(
    gateway: TestClient, call: Callable[..., Caller], fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies["what are your hours"] = [{"text": "We're open 9 to 5 on weekdays."}]
    caller = call()
    caller.ring()
    fake_rasa.hold.clear()  # the bot is stuck until the test lets it answer
    first = caller.post(
        caller.next_action, caller.fields(SpeechResult="what are your hours", Confidence="0.9"), follow=False
    )
    assert first.verbs == ["Say", "Redirect"] and first.says == ["One moment."]
    redirect = first.one("Redirect").text or ""
    assert "pickup=" in redirect and "waits=1" in redirect
    gateway.app.state.voice.budget_seconds = 10.0  # from here on, wait for the (released) bot
    fake_rasa.hold.set()
    reply = caller.post(redirect, caller.fields())
    assert reply.has("Gather") and "We're open 9 to 5 on weekdays." in reply.says


def test_a_bot_that_never_answers_hands_the_caller_to_a_person(
    gateway: TestClient, call: Callable[..., Caller], fake_rasa: FakeRasa, database_url: str
) -> None:
    caller = call()
    caller.ring()
    fake_rasa.hold.clear()
    heard = caller.say("what are your hours")  # follows every filler until the gateway gives up
    assert heard.has("Dial") or heard.has("Record")
    assert "trouble on my side" in heard.speech
    fillers = [path for path, _ in caller.posts if "pickup=" in path]
    assert len(fillers) == 5
    row = _row(database_url, caller)
    with session_scope(database_url) as session:
        reasons = session.scalars(
            select(HandoffTicket.reason).where(HandoffTicket.conversation_id == row.conversation_id)
        ).all()
    assert reasons == [HandoffReason.REPEATED_FAILURE]
    fake_rasa.hold.set()


@pytest.fixture
def gateway_without_rasa(voice_settings: Settings) -> Iterator[TestClient]:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = voice_settings.model_copy(update={"rasa_url": nowhere})
    with TestClient(create_app(settings)) as client:
        yield client


def test_rasa_down_offers_a_person_or_a_message_at_once(gateway_without_rasa: TestClient) -> None:
    caller = Caller(gateway_without_rasa, AUTH_TOKEN, PUBLIC_BASE_URL, ACCOUNT_SID, "+15555557101")
    caller.ring()
    heard = caller.say("i need to reschedule")
    assert heard.has("Dial") or heard.has("Record")
    assert "trouble on my side" in heard.speech
    assert not any("pickup=" in path for path, _ in caller.posts)  # no filler: it failed fast


def test_caller_id_on_file_is_confirmed_by_the_date_of_birth_before_anything_is_said(
    call: Callable[..., Caller], fake_rasa: FakeRasa, database_url: str
) -> None:
    _add_client(database_url, "Robin", "+15555557102")
    fake_rasa.replies["when is my next session"] = [{"text": "Your next session is Fri Dec 11, 12:00 PM ET."}]
    caller = call("+15555557102")
    caller.ring()
    asked = caller.say("when is my next session")
    assert asked.one("Gather").get("numDigits") == "8" and fake_rasa.heard == []
    wrong = caller.press("01011990")
    assert "doesn't match" in wrong.speech and fake_rasa.heard == []
    right = caller.press(DOB.strftime("%m%d%Y"))
    assert right.says[:2] == ["Thank you, Robin.", "Your next session is Friday the 11th at noon, Eastern time."]
    assert fake_rasa.heard == ["when is my next session"]  # the held question, answered once


def test_failed_dates_of_birth_count_against_the_client_across_calls(
    call: Callable[..., Caller], fake_rasa: FakeRasa, database_url: str
) -> None:
    client_id = _add_client(database_url, "Kai", "+15555557103")
    for _ in range(2):
        caller = call("+15555557103")
        caller.ring()
        caller.say("i want to cancel")
        for _attempt in range(3):
            heard = caller.press("12311999")
        assert "couldn't confirm your details" in heard.speech
        assert _row(database_url, caller).caller_client_id is None  # general help only now
    with session_scope(database_url) as session:
        failures = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.subject_type == "client", AuditEvent.subject_id == str(client_id))
            .where(AuditEvent.action == NAME_DOB_FAILED)
        )
    assert failures == 6
    # Locked now: even the right date fails, exactly like a wrong one.
    caller = call("+15555557103")
    caller.ring()
    caller.say("i want to cancel")
    assert "doesn't match" in caller.press(DOB.strftime("%m%d%Y")).speech
    assert fake_rasa.heard == []


def test_a_shared_number_asks_which_person_is_calling(
    call: Callable[..., Caller], fake_rasa: FakeRasa, database_url: str
) -> None:
    _add_client(database_url, "Ana", "+15555557104")
    _add_client(database_url, "Ben", "+15555557104", dt.date(1979, 2, 3))
    caller = call("+15555557104")
    greeting = caller.ring()
    assert "Who is calling?" in greeting.speech and "Ben or press 2" in greeting.speech
    ask = caller.press("2")
    assert ask.one("Gather").get("numDigits") == "8"
    confirmed = caller.press("02031979")
    assert "Thank you, Ben." in confirmed.says
    with session_scope(database_url) as session:
        conversation = session.get_one(Conversation, _row(database_url, caller).conversation_id)
        assert conversation.client is not None and conversation.client.first_name == "Ben"


def test_crisis_words_while_the_date_of_birth_is_asked_still_get_help_first(
    call: Callable[..., Caller], database_url: str
) -> None:
    _add_client(database_url, "Lee", "+15555557105")
    caller = call("+15555557105")
    caller.ring()
    caller.say("hi")
    heard = caller.say("i am going to kill myself")
    assert "988" in heard.speech and "911" in heard.speech and heard.has("Dial")
    assert _row(database_url, caller).stage is CallStage.TRANSFERRING


def test_low_confidence_speech_is_not_guessed_at(call: Callable[..., Caller], fake_rasa: FakeRasa) -> None:
    caller = call()
    caller.ring()
    heard = caller.say("cancel", confidence="0.1")
    assert "another way" in heard.speech and fake_rasa.heard == []


def test_crisis_without_an_on_call_number_promises_no_transfer(call: Callable[..., Caller], database_url: str) -> None:
    practice = create_practice(database_url, open_now=True, oncall=None)
    caller = call("+15555557106", practice.phone)
    caller.ring()
    heard = caller.say("i want to end my life")
    assert "988" in heard.speech and "911" in heard.speech
    assert not heard.has("Dial") and heard.has("Record")
    assert "connecting you" not in heard.speech.lower()
