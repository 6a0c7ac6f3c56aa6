"""Practice questions through the web chat API with the real model and servers (issue 12's
Done-when): "what are your hours" and "where do i park" answered from the practice's
settings, with no identity check; a question a practice has not answered goes to a person."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from assistant import cli
from assistant.store.engine import session_scope
from assistant.store.models import HandoffReason, HandoffTicket, Practice
from tests.support.stack import ChatClient


def _own_practice(database_url: str) -> str:
    """A practice of this test's own, with hours and a policy but no written answers."""
    slug = f"faq-{uuid.uuid4().hex[:8]}"
    with session_scope(database_url) as session:
        session.add(
            Practice(
                slug=slug,
                name="Harbor Wellness",
                timezone="America/New_York",
                business_hours={day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
                cancellation_window_hours=48,
                late_cancel_fee_cents=5000,
                response_window_minutes=120,
                session_minutes=50,
                sms_clinical_details_allowed=False,
            )
        )
    return slug


def test_hours_and_parking_are_answered_from_the_demo_practices_settings(stack, open_chat) -> None:
    chat = open_chat()  # not verified: nothing here is about a client
    hours = chat.say("what are your hours")
    assert hours.startswith("Our front desk hours are Monday to Friday 9 AM to 5 PM, Saturday 9 AM to noon"), hours
    parking = chat.say("where do i park")
    assert "Free parking is in the lot behind Building B" in parking, parking
    assert "only able to help with the front desk" not in hours + parking
    assert chat.state == "bot"


def test_the_terminal_chat_as_the_demo_client_answers_hours_and_parking(
    stack, capsys: pytest.CaptureFixture[str]
) -> None:
    # The "tried as a new user would": `assistant chat --demo` against the running
    # gateway (verified as demo client Jordan Lee; nothing here changes Jordan's records).
    argv = ["chat", "--demo", "--url", stack.url, "-m", "what are your hours", "-m", "where do i park"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "Chat started (verified as Jordan Lee)" in out, out
    assert "bot> Our front desk hours are Monday to Friday 9 AM to 5 PM" in out, out
    assert "Free parking is in the lot behind Building B" in out, out
    assert "only able to help with the front desk" not in out, out


def test_a_question_in_the_middle_of_verified_chat_is_answered_too(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    said = chat.say("do you guys take blue cross? thinking of switching plans")
    assert "in network with Aetna, Blue Cross Blue Shield" in said, said
    assert "superbill" in said


def test_an_unanswered_question_is_handed_to_a_person(stack, http: httpx.Client) -> None:
    slug = _own_practice(stack.database_url)
    created = http.post("/api/chat/sessions", json={"practice": slug})
    assert created.status_code == 201, created.text
    body = created.json()
    chat = ChatClient(http, body["session_id"], body["token"], body["verified"])
    said = chat.say("is there parking near your office")
    assert "I don't have that answer on hand, so I've asked our front desk team" in said, said
    assert chat.state == "handoff_pending"
    with session_scope(stack.database_url) as session:
        reasons = list(
            session.scalars(select(HandoffTicket.reason).where(HandoffTicket.conversation_id == chat.session_id))
        )
    assert reasons == [HandoffReason.PRACTICE_QUESTION]


def _offered(replies: list[dict]) -> list[str]:
    return [b["title"] for r in replies for b in r.get("buttons", []) if b["payload"].startswith("/choose_option")]


def test_a_practice_question_mid_reschedule_is_answered_and_the_offer_stands(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    offered = _offered(chat.send("i need to move my appt"))
    assert len(offered) >= 2
    replies = chat.send("hold on, is there parking by your office?")
    text = "\n".join(reply["text"] for reply in replies)
    assert "Free parking is in the lot behind Building B" in text, text
    assert _offered(replies) == offered, text
    confirm = chat.say("2")
    assert "Move your session" in confirm and offered[1] in confirm


def test_a_practice_question_during_the_identity_check_is_answered_then_asked_again(
    stack, open_chat, new_client
) -> None:
    own = new_client()
    chat = open_chat()
    assert "full name" in chat.say("when is my next appointment")
    replies = chat.say("wait first, what are your office hours")
    assert "Our front desk hours are Monday to Friday 9 AM to 5 PM" in replies, replies
    assert "full name" in replies.split("Our front desk hours", 1)[1], replies  # the check carries on
    assert "date of birth" in chat.say(own.name)
    answer = chat.say(own.typed_date_of_birth)
    assert "you're verified" in answer and "Your next session is" in answer
