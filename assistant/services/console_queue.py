"""What reps see in the queue: handed-off conversations, most urgent first, and the live
snapshot the console's event stream sends.  Metadata, and one line of the client's last
message (console_previews.py); showing that line is a read of the client's words, audited by
whoever hands the queue to a rep (the rep API's routes), once per rep and message.  The whole
transcript is console_reads.py's (it audits each read too).

The labels for a conversation's client and ticket are shared with console_reads.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from assistant.services.call_views import queue_calls
from assistant.services.console_previews import last_client_words
from assistant.services.console_views import (
    QueueClient,
    QueueItem,
    QueueSnapshot,
    RepRef,
    TicketSummary,
    as_json,
    iso,
)
from assistant.services.promises import reply_due_at
from assistant.store.models import (
    Channel,
    Client,
    Conversation,
    ConversationState,
    HandoffTicket,
    Message,
    Practice,
    Rep,
    TicketState,
    utcnow,
)

QUEUE_STATES = (ConversationState.HANDOFF_PENDING, ConversationState.WITH_REP)
QUEUE_LIMIT = 200


def rep_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Display names of these reps, by id."""
    if not ids:
        return {}
    return dict(session.execute(select(Rep.id, Rep.display_name).where(Rep.id.in_(ids))).all())


def client_label(conversation: Conversation, client: Client | None) -> str:
    """Who the conversation is with, as the console labels it (verified client or not)."""
    if client is not None:
        return client.full_name
    if conversation.channel is Channel.SMS and conversation.address:
        return f"Unverified texter {conversation.address}"
    if conversation.channel is Channel.VOICE:
        return f"Unverified caller {conversation.address}" if conversation.address else "Caller (number withheld)"
    return "Unverified web visitor"


def ticket_fields(ticket: HandoffTicket, practice: Practice, names: dict[int, str]) -> dict[str, Any]:
    """What the queue's summary and a conversation's ticket detail both show of a ticket."""
    claimed_by = ticket.claimed_by_rep_id
    return {
        "id": ticket.id,
        "reason": ticket.reason.value,
        "priority": ticket.priority,
        "state": ticket.state.value,
        "created_at": iso(ticket.created_at),
        "reply_due_at": iso(reply_due_at(practice, ticket.created_at)),
        "claimed_by": RepRef(claimed_by, names.get(claimed_by, "")) if claimed_by else None,
        "claimed_at": iso(ticket.claimed_at),
        "closed_at": iso(ticket.closed_at),
    }


def ticket_summary(ticket: HandoffTicket, practice: Practice, names: dict[int, str]) -> TicketSummary:
    return TicketSummary(**ticket_fields(ticket, practice, names))


def queue(
    session: Session, practice: Practice, states: tuple[ConversationState, ...] = QUEUE_STATES
) -> list[QueueItem]:
    """Handed-off conversations, most urgent first, then the longest waiting, each with the
    preview of its client's last message (the caller audits showing it: console_previews.py).
    """
    ticket_filter: ColumnElement[bool]
    if ConversationState.RESOLVED in states:
        ticket_filter = HandoffTicket.id.in_(select(func.max(HandoffTicket.id)).group_by(HandoffTicket.conversation_id))
    else:
        ticket_filter = HandoffTicket.state != TicketState.CLOSED
    rows = session.execute(
        select(Conversation, HandoffTicket)
        .join(HandoffTicket, HandoffTicket.conversation_id == Conversation.id)
        .where(Conversation.practice_id == practice.id, Conversation.state.in_(states), ticket_filter)
        .order_by(HandoffTicket.priority, HandoffTicket.created_at, HandoffTicket.id)
        .limit(QUEUE_LIMIT * 2)
    ).all()
    seen: set[str] = set()
    picked: list[tuple[Conversation, HandoffTicket]] = []
    for conversation, ticket in rows:
        if conversation.id not in seen:
            seen.add(conversation.id)
            picked.append((conversation, ticket))
    picked = picked[:QUEUE_LIMIT]
    ids = [conversation.id for conversation, _ in picked]
    last_ids = (
        dict(
            session.execute(
                select(Message.conversation_id, func.max(Message.id))
                .where(Message.conversation_id.in_(ids))
                .group_by(Message.conversation_id)
            ).all()
        )
        if ids
        else {}
    )
    clients = {
        client.id: client
        for client in session.scalars(
            select(Client).where(Client.id.in_({c.client_id for c, _ in picked if c.client_id}))
        )
    }
    names = rep_names(session, {t.claimed_by_rep_id for _, t in picked if t.claimed_by_rep_id})
    calls = queue_calls(session, [c.id for c, _ in picked if c.channel is Channel.VOICE])
    previews = last_client_words(session, ids)
    items = []
    for conversation, ticket in picked:
        client = clients.get(conversation.client_id) if conversation.client_id else None
        items.append(
            QueueItem(
                id=conversation.id,
                channel=conversation.channel.value,
                state=conversation.state.value,
                client=QueueClient(
                    id=client.id if client else None,
                    label=client_label(conversation, client),
                    verified=client is not None,
                ),
                ticket=ticket_summary(ticket, practice, names),
                waiting_since=iso(ticket.created_at),
                last_message_id=last_ids.get(conversation.id, 0),
                last_activity_at=iso(conversation.last_activity_at),
                call=calls.get(conversation.id),
                preview=previews.get(conversation.id),
            )
        )
    return items


def queue_snapshot(session: Session, practice_id: int) -> QueueSnapshot:
    practice = session.get(Practice, practice_id)
    assert practice is not None
    return QueueSnapshot(
        queue=queue(session, practice),
        now=iso(utcnow()),
        response_window_minutes=practice.response_window_minutes,
        timezone=practice.timezone,
    )


def events_snapshot(snapshot: QueueSnapshot) -> dict[str, Any]:
    """The queue snapshot as JSON-ready data, for the live-update event stream."""
    return as_json(snapshot)
