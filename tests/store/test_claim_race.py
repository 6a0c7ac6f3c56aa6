"""Several reps press "claim" on the same waiting conversation at once: exactly one gets it.

Each rep has its own session (connection, transaction); a barrier releases them
together, so the conditional UPDATE ... WHERE state = 'open' has to decide.
Runs on SQLite and, with TEST_POSTGRES_URL, on PostgreSQL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assistant.services import console as ops
from assistant.services import reps as rep_accounts
from assistant.services.conversations import open_handoff
from assistant.store.models import (
    AuditEvent,
    Channel,
    Conversation,
    ConversationState,
    HandoffReason,
    HandoffTicket,
    Rep,
    TicketState,
)
from tests.support.race import race

if TYPE_CHECKING:
    from tests.support.clinic import Clinic

RACERS = 6


def _setup(session: Session, clinic: Clinic) -> tuple[str, list[int]]:
    rep_ids = [
        rep_accounts.create_rep(
            session,
            practice_id=clinic.practice_id,
            email=f"rep{i}@test.example",
            display_name=f"Rep {i}",
            password="a-long-test-password",
        ).id
        for i in range(RACERS)
    ]
    conversation = Conversation(practice_id=clinic.practice_id, channel=Channel.WEB, client_id=clinic.client_ids[0])
    session.add(conversation)
    session.flush()
    open_handoff(session, conversation, HandoffReason.REQUESTED)
    session.commit()
    return conversation.id, rep_ids


def test_exactly_one_rep_wins_a_claim(engine: Engine, session: Session, clinic: Clinic) -> None:
    conversation_id, rep_ids = _setup(session, clinic)

    def attempt(own: Session, index: int) -> int:
        rep = own.get(Rep, rep_ids[index])
        return ops.claim(own, own.get(Conversation, conversation_id), rep).id

    outcomes = race(engine, RACERS, attempt)

    winners = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, int)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, ops.Conflict)]
    assert len(winners) == 1, outcomes
    assert len(losers) == RACERS - 1, outcomes
    session.expire_all()
    (ticket,) = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id))
    assert ticket.state is TicketState.CLAIMED and ticket.claimed_by_rep_id == rep_ids[winners[0]]
    assert session.get(Conversation, conversation_id).state is ConversationState.WITH_REP
    claims = session.scalars(select(AuditEvent).where(AuditEvent.action == "handoff_claimed")).all()
    assert [event.actor for event in claims] == [f"rep:{rep_ids[winners[0]]}"]


def test_resolve_then_a_new_handoff_can_be_claimed_again(session: Session, clinic: Clinic) -> None:
    conversation_id, rep_ids = _setup(session, clinic)
    conversation = session.get(Conversation, conversation_id)
    first, second = (session.get(Rep, rep_id) for rep_id in rep_ids[:2])
    ops.claim(session, conversation, first)
    ops.resolve(session, conversation, first, return_to_bot=True)
    assert conversation.state is ConversationState.BOT
    open_handoff(session, conversation, HandoffReason.BILLING)
    assert conversation.state is ConversationState.HANDOFF_PENDING
    ticket = ops.claim(session, conversation, second)
    assert ticket.claimed_by_rep_id == second.id and ticket.reason is HandoffReason.BILLING
    session.commit()
