"""The conversation state table: every allowed edge works, every other edge raises, and no
module but `assistant.conversation.state` changes a conversation's or a ticket's state."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from assistant.conversation.state import ALLOWED, IllegalTransition, transition
from assistant.store.models import Conversation, ConversationState

S = ConversationState
EXPECTED_EDGES = {
    (S.BOT, S.HANDOFF_PENDING),
    (S.BOT, S.RESOLVED),
    (S.HANDOFF_PENDING, S.WITH_REP),
    (S.HANDOFF_PENDING, S.BOT),
    (S.HANDOFF_PENDING, S.RESOLVED),
    (S.WITH_REP, S.RESOLVED),
    (S.WITH_REP, S.BOT),
    (S.RESOLVED, S.BOT),
    (S.RESOLVED, S.HANDOFF_PENDING),
}
REPO = Path(__file__).resolve().parents[2]
# An assignment to `.state` (not `==`, not `app.state.x = ...`) or an UPDATE setting state.
# Conversation and ticket state only: an outreach job's own lifecycle (OutreachState, in
# assistant/outreach/) is not conversation state.
STATE_WRITE = re.compile(r"\.state\s*=(?!=)(?!\s*OutreachState)|\bvalues\(\s*state\s*=(?!\s*OutreachState)")


def _conversation(state: ConversationState) -> Conversation:
    return Conversation(id="c-1", practice_id=1, state=state)


def test_the_table_is_exactly_the_documented_edges() -> None:
    assert {(a, b) for a, targets in ALLOWED.items() for b in targets} == EXPECTED_EDGES
    assert set(ALLOWED) == set(S)


@pytest.mark.parametrize(("current", "to"), sorted(EXPECTED_EDGES))
def test_every_allowed_edge_changes_the_state(current: ConversationState, to: ConversationState) -> None:
    conversation = _conversation(current)
    assert transition(conversation, to, reason="test", actor="test") is True
    assert conversation.state is to


@pytest.mark.parametrize(
    ("current", "to"), sorted((a, b) for a, b in itertools.permutations(S, 2) if (a, b) not in EXPECTED_EDGES)
)
def test_every_other_edge_raises_and_changes_nothing(current: ConversationState, to: ConversationState) -> None:
    conversation = _conversation(current)
    with pytest.raises(IllegalTransition):
        transition(conversation, to, reason="test", actor="test")
    assert conversation.state is current


@pytest.mark.parametrize("state", list(S))
def test_the_same_state_is_a_no_op(state: ConversationState) -> None:
    conversation = _conversation(state)
    assert transition(conversation, state, reason="test", actor="test") is False
    assert conversation.state is state


def test_no_other_module_writes_state() -> None:
    owner = REPO / "assistant" / "conversation" / "state.py"
    writers = [
        f"{path.relative_to(REPO)}:{number}"
        for package in ("assistant", "actions")
        for path in sorted((REPO / package).rglob("*.py"))
        if path != owner
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if STATE_WRITE.search(line)
    ]
    assert writers == []
    assert STATE_WRITE.search(owner.read_text())  # the pattern does find a write
