"""Issue 14, point 1: when a rep resolves, the client is told who closed the conversation and
asked once "Did we help?"; the answer is stored once, counted per practice, never logged."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from assistant.services import console as ops
from assistant.store.engine import session_scope
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    ConversationFeedback,
    ConversationState,
    HandoffReason,
    HandoffTicket,
    Message,
    Practice,
    Rep,
    SmsOptOut,
    TicketState,
)
from tests.support.console import Chat

CLOSED_BY_CASEY = "Casey closed this conversation \u2014 message us any time"


def _auth(chat: Chat) -> dict[str, str]:
    return {"Authorization": f"Bearer {chat.token}"}


def _resolved_chat(rep, open_handoff_chat) -> Chat:
    chat = open_handoff_chat()
    assert rep.post(f"/api/rep/conversations/{chat.session_id}/claim").status_code == 200
    resolved = rep.post(f"/api/rep/conversations/{chat.session_id}/resolve", {"return_to_bot": False})
    assert resolved.status_code == 200, resolved.text
    return chat


def _feedback_rows(database_url: str, conversation_id: str) -> list[tuple[str | None, str | None]]:
    with session_scope(database_url) as session:
        rows = session.scalars(
            select(ConversationFeedback).where(ConversationFeedback.conversation_id == conversation_id)
        ).all()
        return [(row.rating, row.comment) for row in rows]


def test_the_client_sees_who_closed_the_chat_and_one_question(rep, open_handoff_chat) -> None:
    chat = _resolved_chat(rep, open_handoff_chat)
    transcript = chat.http.get(f"/api/chat/sessions/{chat.session_id}/messages", headers=_auth(chat)).json()
    assert transcript["state"] == "resolved"
    last = transcript["messages"][-1]
    assert (last["author"], last["text"]) == ("system", CLOSED_BY_CASEY)
    question = chat.http.get(f"/api/chat/sessions/{chat.session_id}/feedback", headers=_auth(chat)).json()
    assert question["question"] == "Did we help?" and isinstance(question["resolution"], int)


def test_returning_to_the_bot_says_nothing_and_asks_nothing(rep, open_handoff_chat) -> None:
    chat = open_handoff_chat()
    rep.post(f"/api/rep/conversations/{chat.session_id}/claim")
    assert rep.post(f"/api/rep/conversations/{chat.session_id}/resolve", {"return_to_bot": True}).status_code == 200
    transcript = chat.http.get(f"/api/chat/sessions/{chat.session_id}/messages", headers=_auth(chat)).json()
    assert not any(m["author"] == "system" for m in transcript["messages"])
    question = chat.http.get(f"/api/chat/sessions/{chat.session_id}/feedback", headers=_auth(chat)).json()
    assert question["resolution"] is None


def test_a_rep_without_a_name_closes_as_our_team(rep, open_handoff_chat, database_url) -> None:
    with session_scope(database_url) as session:
        session.get(Rep, rep.rep["id"]).display_name = "   "
    chat = _resolved_chat(rep, open_handoff_chat)
    transcript = chat.http.get(f"/api/chat/sessions/{chat.session_id}/messages", headers=_auth(chat)).json()
    assert transcript["messages"][-1]["text"] == "Our team closed this conversation \u2014 message us any time"


def test_the_answer_is_stored_once_and_a_second_is_refused(
    rep, open_handoff_chat, database_url, caplog: pytest.LogCaptureFixture
) -> None:
    chat = _resolved_chat(rep, open_handoff_chat)
    path = f"/api/chat/sessions/{chat.session_id}/feedback"
    resolution = chat.http.get(path, headers=_auth(chat)).json()["resolution"]
    comment = "Casey sorted my 4242 question quickly"
    with caplog.at_level(logging.DEBUG):
        first = chat.http.post(
            path, json={"resolution": resolution, "rating": "up", "comment": comment}, headers=_auth(chat)
        )
    assert first.status_code == 201, first.text
    assert first.json()["thanks"] == "Thanks for telling us."
    assert comment not in caplog.text  # the client's words are never logged
    second = chat.http.post(path, json={"resolution": resolution, "rating": "down"}, headers=_auth(chat))
    assert second.status_code == 409
    assert _feedback_rows(database_url, chat.session_id) == [("up", comment)]
    assert chat.http.get(path, headers=_auth(chat)).json()["resolution"] is None  # nothing left to ask


def test_a_blank_comment_is_kept_as_none(rep, open_handoff_chat, database_url) -> None:
    chat = _resolved_chat(rep, open_handoff_chat)
    path = f"/api/chat/sessions/{chat.session_id}/feedback"
    resolution = chat.http.get(path, headers=_auth(chat)).json()["resolution"]
    answer = {"resolution": resolution, "rating": "down", "comment": " \t\n "}
    assert chat.http.post(path, json=answer, headers=_auth(chat)).status_code == 201
    assert _feedback_rows(database_url, chat.session_id) == [("down", None)]


@pytest.mark.parametrize(
    "body",
    [
        {"rating": "up", "comment": "x" * 501},
        {"rating": "meh"},
        {"rating": "up", "extra": 1},
        {"rating": "up", "comment": "bad\x00byte"},
        {"rating": "up", "resolution": 2**40},  # beyond the id column: a 422, not a 500 (fuzz)
        {},
    ],
)
def test_bad_input_is_a_4xx_and_changes_nothing(rep, open_handoff_chat, database_url, body: dict) -> None:
    chat = _resolved_chat(rep, open_handoff_chat)
    path = f"/api/chat/sessions/{chat.session_id}/feedback"
    resolution = chat.http.get(path, headers=_auth(chat)).json()["resolution"]
    response = chat.http.post(path, json={"resolution": resolution, **body}, headers=_auth(chat))
    assert response.status_code == 422
    assert _feedback_rows(database_url, chat.session_id) == [(None, None)]


def test_the_feedback_needs_the_chat_session_and_its_own_resolution(rep, open_handoff_chat, database_url) -> None:
    chat = _resolved_chat(rep, open_handoff_chat)
    other = _resolved_chat(rep, open_handoff_chat)
    path = f"/api/chat/sessions/{chat.session_id}/feedback"
    resolution = chat.http.get(path, headers=_auth(chat)).json()["resolution"]
    assert chat.http.get(path).status_code == 401
    assert chat.http.post(path, json={"resolution": resolution, "rating": "up"}).status_code == 401
    assert (
        chat.http.post(path, json={"resolution": resolution, "rating": "up"}, headers=_auth(other)).status_code == 401
    )
    other_resolution = other.http.get(f"/api/chat/sessions/{other.session_id}/feedback", headers=_auth(other)).json()[
        "resolution"
    ]
    answer = chat.http.post(path, json={"resolution": other_resolution, "rating": "up"}, headers=_auth(chat))
    assert answer.status_code == 404
    assert _feedback_rows(database_url, other.session_id) == [(None, None)]


def test_resolving_twice_is_a_clear_409_in_the_usual_shape(rep, open_handoff_chat) -> None:
    chat = _resolved_chat(rep, open_handoff_chat)
    again = rep.post(f"/api/rep/conversations/{chat.session_id}/resolve", {"return_to_bot": False})
    assert again.status_code == 409 and again.json() == {"detail": "this conversation is already resolved"}
    back = rep.post(f"/api/rep/conversations/{chat.session_id}/resolve", {"return_to_bot": True})
    assert back.status_code == 409
    transcript = chat.http.get(f"/api/chat/sessions/{chat.session_id}/messages", headers=_auth(chat)).json()
    assert [m["text"] for m in transcript["messages"]].count(CLOSED_BY_CASEY) == 1


# --- SMS: nothing unless the practice turns it on ------------------------------------------

NUMBER = "+15555550177"


def _sms_handoff(database_url: str, *, closure_sms: bool, opted_out: bool = False) -> tuple[str, int]:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        practice.closure_sms_enabled = closure_sms
        rep = session.scalars(select(Rep).where(Rep.email == "frontdesk@lakeside.example")).one()
        conversation = Conversation(
            practice_id=practice.id, channel=Channel.SMS, address=NUMBER, state=ConversationState.WITH_REP
        )
        session.add(conversation)
        session.flush()
        session.add(
            HandoffTicket(
                conversation_id=conversation.id,
                reason=HandoffReason.REQUESTED,
                state=TicketState.CLAIMED,
                claimed_by_rep_id=rep.id,
            )
        )
        if opted_out:
            session.add(SmsOptOut(practice_id=practice.id, phone_e164=NUMBER, source="keyword", keyword="STOP"))
        return conversation.id, rep.id


def _resolve_and_read_texts(database_url: str, conversation_id: str, rep_id: int) -> list[str]:
    with session_scope(database_url) as session:
        conversation = session.get(Conversation, conversation_id)
        ops.resolve(session, conversation, session.get(Rep, rep_id), return_to_bot=False)
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(Message.text).where(Message.conversation_id == conversation_id, Message.author == Author.SYSTEM)
            )
        )


def test_sms_clients_get_nothing_extra_by_default(database_url) -> None:
    conversation_id, rep_id = _sms_handoff(database_url, closure_sms=False)
    assert _resolve_and_read_texts(database_url, conversation_id, rep_id) == []


def test_sms_closing_text_when_the_practice_turns_it_on(database_url) -> None:
    conversation_id, rep_id = _sms_handoff(database_url, closure_sms=True)
    (sent,) = _resolve_and_read_texts(database_url, conversation_id, rep_id)
    assert sent.startswith("Lakeside Counseling: Casey closed this conversation.")
    assert sent.endswith("Reply STOP to opt out.")


def test_no_closing_text_to_a_number_that_opted_out(database_url) -> None:
    conversation_id, rep_id = _sms_handoff(database_url, closure_sms=True, opted_out=True)
    assert _resolve_and_read_texts(database_url, conversation_id, rep_id) == []
