"""Conversation ownership, identity and handoff: the state both the gateway and actions share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.conversation.state import current_ticket, transition
from assistant.services import audit
from assistant.services.oncall import alert_oncall
from assistant.store.models import (
    Client,
    Conversation,
    ConversationState,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    Practice,
    utcnow,
)

# Lower is more urgent; a rep's queue is sorted by this, then by waiting time.
PRIORITY = {
    HandoffReason.CRISIS: 0,
    HandoffReason.CALLBACK: 1,  # a caller is waiting for a call back: right after crisis
    HandoffReason.VERIFICATION_FAILED: 3,
    HandoffReason.REQUESTED: 4,
    HandoffReason.BILLING: 5,
    HandoffReason.PORTAL_HELP: 5,
    HandoffReason.LOW_CONFIDENCE: 5,
    HandoffReason.REPEATED_FAILURE: 4,
    HandoffReason.UNKNOWN_NUMBER: 6,
    HandoffReason.SMS_OPT_OUT: 5,
    HandoffReason.DELIVERY_FAILED: 4,
    HandoffReason.PRACTICE_QUESTION: 6,  # no PHI, nothing at stake: answer after the others
}


class ConversationNotFound(LookupError):
    pass


def get_conversation(session: Session, conversation_id: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise ConversationNotFound(conversation_id)
    return conversation


def practice_of(session: Session, conversation: Conversation) -> Practice:
    return conversation.practice


def verify_client(
    session: Session, conversation: Conversation, client: Client, *, method: str, request_id: str | None = None
) -> None:
    conversation.client_id = client.id
    conversation.verification_failures = 0
    audit.record(
        session,
        actor=f"client:{client.id}",
        action="identity_verified",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"method": method},
        request_id=request_id,
    )


def record_verification_failure(session: Session, conversation: Conversation) -> int:
    conversation.verification_failures += 1
    return conversation.verification_failures


def open_handoff(
    session: Session,
    conversation: Conversation,
    reason: HandoffReason,
    *,
    nlu_confidence: float | None = None,
    top_intents: list[dict[str, Any]] | None = None,
    context: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> HandoffTicket:
    """Give the conversation to a person; an open ticket is reused, escalated if more urgent."""
    ticket = current_ticket(session, conversation.id)
    priority = PRIORITY[reason]
    if ticket is None:
        ticket = HandoffTicket(
            conversation_id=conversation.id,
            reason=reason,
            priority=priority,
            nlu_confidence=nlu_confidence,
            top_intents=top_intents,
            context=context or {},
        )
        session.add(ticket)
    elif priority < ticket.priority:
        ticket.reason, ticket.priority = reason, priority
    if conversation.state in (ConversationState.BOT, ConversationState.RESOLVED):
        transition(conversation, ConversationState.HANDOFF_PENDING, reason=f"handoff:{reason.value}", actor="bot")
    session.flush()
    audit.record(
        session,
        actor="bot",
        action="handoff_opened",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"reason": reason.value, "ticket": ticket.id},
        request_id=request_id,
    )
    if ticket.reason is HandoffReason.CRISIS:  # on-call is texted once per ticket
        alert_oncall(session, conversation, ticket, request_id=request_id)
    return ticket


def touch(conversation: Conversation, now: dt.datetime | None = None) -> None:
    conversation.last_activity_at = now or utcnow()


def replies_after(session: Session, inbound: Message) -> list[Message]:
    """What the practice sent in the inbound message's conversation after it, oldest first."""
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.conversation_id == inbound.conversation_id,
                Message.direction == Direction.OUTBOUND,
                Message.id > inbound.id,
            )
            .order_by(Message.id)
        )
    )
