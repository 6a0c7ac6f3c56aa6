"""The one owner of conversation and ticket state: every change goes through here.

A conversation is with the bot, waiting for a person, with a person, or resolved:

    bot -> handoff_pending -> with_rep -> resolved -> bot (the client's next message)
    with_rep -> bot            (the rep hands it back to the bot)
    handoff_pending -> bot | resolved   (an admin resolves a hand-off nobody claimed)
    resolved -> handoff_pending         (a resolved conversation is handed off again)
    bot -> resolved            (the client ended the chat)

Any other change is a bug and raises `IllegalTransition`; asking for the state the
conversation is already in changes nothing.  A ticket is open, then claimed, then
closed (or closed unclaimed); two reps acting at once are settled by conditional
UPDATEs and their row counts, so exactly one of them wins.

This module imports only the store, so every layer (services, the pipeline, routes) may
use it without an import cycle.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.logs import get_logger
from assistant.store.models import Conversation, ConversationState, HandoffTicket, TicketState
from assistant.store.statements import affected_rows

log = get_logger("conversation.state")

_S = ConversationState
ALLOWED: dict[ConversationState, frozenset[ConversationState]] = {
    _S.BOT: frozenset({_S.HANDOFF_PENDING, _S.RESOLVED}),
    _S.HANDOFF_PENDING: frozenset({_S.WITH_REP, _S.BOT, _S.RESOLVED}),
    _S.WITH_REP: frozenset({_S.RESOLVED, _S.BOT}),
    _S.RESOLVED: frozenset({_S.BOT, _S.HANDOFF_PENDING}),
}


class IllegalTransition(ValueError):
    """A state change the table does not allow: the caller's logic is wrong."""

    def __init__(self, current: ConversationState, to: ConversationState) -> None:
        super().__init__(f"a conversation cannot go from {current.value} to {to.value}")
        self.current, self.to = current, to


def allowed(current: ConversationState, to: ConversationState) -> bool:
    return current is to or to in ALLOWED[current]


def _check(conversation: Conversation, to: ConversationState) -> ConversationState:
    # A conversation not flushed yet has no state; the column's default is BOT.
    current = conversation.state or ConversationState.BOT
    if not allowed(current, to):
        raise IllegalTransition(current, to)
    return current


def transition(conversation: Conversation, to: ConversationState, *, reason: str, actor: str) -> bool:
    """Move the conversation to `to`; True if its state changed, False if it was already there."""
    current = _check(conversation, to)
    if current is to:
        return False
    conversation.state = to
    log.info(
        "conversation_state_changed",
        conversation=conversation.id,
        from_state=current.value,
        to_state=to.value,
        reason=reason,
        actor=actor,
    )
    return True


def current_ticket(session: Session, conversation_id: str) -> HandoffTicket | None:
    """The conversation's ticket that is not closed yet (open or claimed), the newest if several."""
    return session.scalars(
        select(HandoffTicket)
        .where(HandoffTicket.conversation_id == conversation_id, HandoffTicket.state != TicketState.CLOSED)
        .order_by(HandoffTicket.id.desc())
    ).first()


def latest_ticket(session: Session, conversation_id: str) -> HandoffTicket | None:
    """The conversation's newest ticket, closed or not."""
    return session.scalars(
        select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id).order_by(HandoffTicket.id.desc())
    ).first()


def claim_ticket(
    session: Session, conversation: Conversation, ticket: HandoffTicket, *, rep_id: int, actor: str, now: dt.datetime
) -> bool:
    """Give an open ticket to the rep and the conversation to a person; False if the ticket
    was not open any more (another rep won).  The caller refreshes both objects."""
    _check(conversation, ConversationState.WITH_REP)
    won = affected_rows(
        session,
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket.id, HandoffTicket.state == TicketState.OPEN)
        .values(state=TicketState.CLAIMED, claimed_by_rep_id=rep_id, claimed_at=now)
        .execution_options(synchronize_session=False),
    )
    if won != 1:
        return False
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation.id)
        .values(state=ConversationState.WITH_REP)
        .execution_options(synchronize_session=False)
    )
    log.info(
        "conversation_state_changed",
        conversation=conversation.id,
        from_state=conversation.state.value,
        to_state=ConversationState.WITH_REP.value,
        reason="claimed",
        actor=actor,
    )
    return True


def close_ticket(session: Session, ticket: HandoffTicket, *, rep_id: int | None, now: dt.datetime) -> bool:
    """Close a ticket that is not closed yet; False if somebody closed it first."""
    closed = affected_rows(
        session,
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket.id, HandoffTicket.state != TicketState.CLOSED)
        .values(state=TicketState.CLOSED, closed_at=now, closed_by_rep_id=rep_id)
        .execution_options(synchronize_session=False),
    )
    return closed == 1
