"""The in-chat identity check (VerifyIdentity) shares the per-client failure count with the
chat API: after too many failures for one client, even the right details read as wrong,
while each chat's own state still depends only on what happened in it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from actions.verification import DETAILS_DONT_MATCH, VerifyIdentity
from assistant.services import identity_guard as guard
from assistant.services.identity_alerts import ALERT_KIND
from assistant.store.engine import session_scope
from assistant.store.models import (
    AuditEvent,
    Client,
    Conversation,
    ConversationState,
    HandoffTicket,
)
from tests.support.actions import has_event, make_conversation, run_action, tracker

pytestmark = pytest.mark.usefixtures("database_url")

RIGHT = {"full_name": "Jordan Lee", "date_of_birth": "1990-04-12"}
WRONG = {"full_name": "Jordan Lee", "date_of_birth": "1991-01-01"}


def verify(conversation: str, slots: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    messages, events = run_action(VerifyIdentity(), tracker(conversation, "x", "inform", slots=dict(slots)))
    return "\n".join(message.get("text") or "" for message in messages), events


def conversation_row(database_url: str, conversation_id: str) -> Conversation:
    with session_scope(database_url) as session:
        return session.get(Conversation, conversation_id)


def test_after_five_failures_across_chats_the_right_details_read_as_wrong(database_url: str) -> None:
    first, second = make_conversation(database_url), make_conversation(database_url)
    for _ in range(3):  # the first chat's own three failures hand it to a person, as before
        verify(first, WRONG)
    assert conversation_row(database_url, first).state is ConversationState.HANDOFF_PENDING
    wrong_reply, _ = verify(second, WRONG)
    verify(second, WRONG)  # five failures for Jordan in all: name+DOB is now locked for him
    assert conversation_row(database_url, second).state is ConversationState.BOT

    third = make_conversation(database_url)
    locked_reply, events = verify(third, RIGHT)
    assert locked_reply == wrong_reply == DETAILS_DONT_MATCH  # locked reads exactly like wrong
    assert "code" in DETAILS_DONT_MATCH and "person" in DETAILS_DONT_MATCH  # the ways that still work
    assert has_event(events, "followup", "verify_form")
    row = conversation_row(database_url, third)
    assert row.client_id is None and row.state is ConversationState.BOT and row.verification_failures == 1

    with session_scope(database_url) as session:
        jordan = session.scalars(select(Client.id).where(Client.first_name == "Jordan")).one()
        failed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == guard.NAME_DOB_FAILED, AuditEvent.subject_id == str(jordan))
        ).all()
        assert len(failed) == 6 and {event.details["method"] for event in failed} == {"name_dob"}
        assert all(event.details["source"] is None for event in failed)  # the action server has no address
        alerts = [
            ticket
            for ticket in session.scalars(select(HandoffTicket))
            if (ticket.context or {}).get("alert") == ALERT_KIND
        ]
        assert len(alerts) == 1 and alerts[0].conversation_id not in (first, second, third)


def test_right_details_below_the_threshold_still_verify_in_chat(database_url: str) -> None:
    for _ in range(guard.NAME_DOB_MAX_FAILURES - 1):  # one typo in each of four chats
        verify(make_conversation(database_url), WRONG)
    conversation = make_conversation(database_url)
    reply, _ = verify(conversation, RIGHT)
    assert "you're verified" in reply
    assert conversation_row(database_url, conversation).client_id is not None
