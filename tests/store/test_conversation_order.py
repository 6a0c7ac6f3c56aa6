"""Messages of one conversation are answered in order across gateway processes
(conversation/ordering.py): a PostgreSQL advisory lock, or a file lock on SQLite, held for
the whole turn, and the conversation's earlier waiting messages answered first.

Each "process" here is a Pipeline of its own (its own lease name, lock connections or
lock file descriptors).  A bot that holds its answer to the first message until the test
lets it go shows whether the second turn waited; the second turn is seen waiting on the
lock itself (pg_locks, /proc/locks), not guessed from a sleep.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from assistant.conversation import lease
from assistant.conversation.pipeline import Pipeline, accept
from assistant.conversation.turn import TurnResult
from assistant.dialogue.bot import BotReply
from assistant.store.models import Author, Channel, Conversation, Direction, Message, MessageStatus, utcnow

if TYPE_CHECKING:
    from tests.store.conftest import Clinic

DEADLINE = 20.0


class GatedBot:
    """Answers "answer to <text>"; the answer to `gated` waits until `gate` is set."""

    def __init__(self, gated: str) -> None:
        self.gated = gated
        self.gate = threading.Event()
        self.heard: list[str] = []
        self._lock = threading.Lock()

    def send(self, conversation_id: str, text: str, request_id: str | None) -> list[BotReply]:
        with self._lock:
            self.heard.append(text)
        if text == self.gated:
            assert self.gate.wait(DEADLINE), "the test never let the first answer go"
        return [BotReply(f"answer to {text}")]

    def restart(self, conversation_id: str) -> None:
        pass

    def is_ready(self) -> bool:
        return True

    def close(self) -> None:
        pass


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def _conversation(session: Session, clinic: Clinic) -> str:
    conversation = Conversation(practice_id=clinic.practice_id, channel=Channel.WEB)
    session.add(conversation)
    session.commit()
    return conversation.id


def _accept(session: Session, conversation_id: str, *texts: str) -> list[int]:
    ids = [accept(session, conversation_id, words, request_id=None).id for words in texts]
    session.commit()
    return ids


def _answers(session: Session, conversation_id: str) -> list[str]:
    session.expire_all()
    return list(
        session.scalars(
            select(Message.text)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == Direction.OUTBOUND,
                Message.author == Author.BOT,
            )
            .order_by(Message.id)
        )
    )


def _waiting_on_a_lock(engine: Engine) -> bool:
    """Some turn of this test is blocked on a conversation lock."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            return bool(
                connection.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
            )
    pid = str(os.getpid())
    with open("/proc/locks") as locks:
        return any("->" in line and "FLOCK" in line and pid in line.split() for line in locks)


def _in_background(run: Callable[[], TurnResult]) -> tuple[threading.Thread, list[TurnResult]]:
    results: list[TurnResult] = []
    thread = threading.Thread(target=lambda: results.append(run()), daemon=True)
    thread.start()
    return thread, results


def test_the_next_message_waits_for_the_turn_another_process_is_in(
    engine: Engine, session: Session, clinic: Clinic, db_url: str
) -> None:
    conversation_id = _conversation(session, clinic)
    first, second = _accept(session, conversation_id, "first", "second")
    bot = GatedBot(gated="first")
    gateway_a, gateway_b = Pipeline(bot, db_url), Pipeline(bot, db_url)
    try:
        a, _ = _in_background(lambda: gateway_a.process(first))
        _wait_for(lambda: bot.heard == ["first"], "the first turn to reach the bot")
        b, b_results = _in_background(lambda: gateway_b.process(second))
        _wait_for(lambda: not b.is_alive() or _waiting_on_a_lock(engine), "the second turn to finish or wait")

        assert b.is_alive() and bot.heard == ["first"], "the second message was answered before the first"
        bot.gate.set()
        a.join(DEADLINE)
        b.join(DEADLINE)

        assert bot.heard == ["first", "second"]
        assert _answers(session, conversation_id) == ["answer to first", "answer to second"]
        assert [r.text for r in b_results[0].replies] == ["answer to second"]
    finally:
        bot.gate.set()
        gateway_a.close()
        gateway_b.close()


def test_other_conversations_are_not_held_up(engine: Engine, session: Session, clinic: Clinic, db_url: str) -> None:
    busy, free = _conversation(session, clinic), _conversation(session, clinic)
    (slow,) = _accept(session, busy, "first")
    (quick,) = _accept(session, free, "elsewhere")
    bot = GatedBot(gated="first")
    gateway_a, gateway_b = Pipeline(bot, db_url), Pipeline(bot, db_url)
    try:
        a, _ = _in_background(lambda: gateway_a.process(slow))
        _wait_for(lambda: bot.heard == ["first"], "the first turn to reach the bot")
        # Unless its lock file is the busy one's (1 in 256 on SQLite), it does not wait.
        result = gateway_b.process(quick)
        assert [r.text for r in result.replies] == ["answer to elsewhere"]
    finally:
        bot.gate.set()
        a.join(DEADLINE)
        gateway_a.close()
        gateway_b.close()


def test_a_turn_answers_the_earlier_message_another_process_has_queued_first(
    session: Session, clinic: Clinic, db_url: str
) -> None:
    """Message 1 was taken by another gateway (its lease is live) but waits in that
    gateway's queue; message 2 reaches this gateway's bot only after message 1 did."""
    conversation_id = _conversation(session, clinic)
    first, second = _accept(session, conversation_id, "first", "second")
    elsewhere = Pipeline(GatedBot(gated=""), db_url)
    assert lease.claim(session, first, owner=elsewhere.owner, now=utcnow())
    session.commit()
    bot = GatedBot(gated="")
    here = Pipeline(bot, db_url)
    try:
        result = here.process(second)

        assert bot.heard == ["first", "second"]
        assert [r.text for r in result.replies] == ["answer to first", "answer to second"]
        # The other gateway gets to its queued job later: answered already, it says nothing.
        assert elsewhere.process(first).replies == []
        assert _answers(session, conversation_id) == ["answer to first", "answer to second"]
        session.expire_all()
        assert {session.get(Message, mid).status for mid in (first, second)} == {MessageStatus.PROCESSED}
    finally:
        here.close()
        elsewhere.close()
