"""Putting a conversation where the bot's `action_crisis` leaves it: a safety check-in
asked ("are you safe right now?"), the next client message expected to answer it."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select

from assistant.services import safety_check
from assistant.store.engine import session_scope
from assistant.store.models import Conversation, HandoffReason, HandoffTicket, utcnow


class CheckIn(NamedTuple):
    pending: bool
    asked: bool
    resume: str | None


def ask_check_in(database_url: str, conversation_id: str, resume_intent: str | None) -> None:
    with session_scope(database_url) as session:
        conversation = session.get_one(Conversation, conversation_id)
        safety_check.ask(conversation, resume_intent=resume_intent, now=utcnow())


def check_in_of(database_url: str, conversation_id: str) -> CheckIn:
    with session_scope(database_url) as session:
        conversation = session.get_one(Conversation, conversation_id)
        return CheckIn(
            conversation.safety_check_pending,
            conversation.safety_check_at is not None,
            conversation.safety_check_resume,
        )


def crisis_tickets(database_url: str, conversation_id: str) -> list[dict[str, object]]:
    """The context of every crisis ticket of the conversation."""
    with session_scope(database_url) as session:
        tickets = session.scalars(
            select(HandoffTicket).where(
                HandoffTicket.conversation_id == conversation_id, HandoffTicket.reason == HandoffReason.CRISIS
            )
        ).all()
        return [dict(ticket.context or {}) for ticket in tickets]
