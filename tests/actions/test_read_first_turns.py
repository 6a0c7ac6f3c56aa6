"""Actions that usually only read run in a read-only transaction first (services/bot_turn_scope.py):
on SQLite they do not queue for the write lock, and one that writes after all is run again as a
writer, with the same result as a writer from the start. On SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from actions.appointment_info import AppointmentInfo
from assistant.services.bot_turn import BotTurn
from assistant.services.bot_turn_scope import run_bot_turn
from assistant.store.engine import session_scope
from assistant.store.models import Conversation, HandoffReason, HandoffTicket
from tests.actions.conftest import as_process_database
from tests.support import backends
from tests.support.actions import make_conversation, run_action, tracker

database_url = backends.database_url  # SQLite and PostgreSQL (instead of the package's SQLite-only one)
postgres_demo_template = backends.postgres_demo_template


@pytest.fixture
def store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from as_process_database(database_url, monkeypatch)


def tickets(url: str, conversation_id: str) -> int:
    with session_scope(url) as session:
        query = select(func.count()).select_from(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id)
        return int(session.scalar(query) or 0)


def test_a_question_is_answered_while_another_process_holds_the_write_lock(store: str) -> None:
    conversation = make_conversation(store, "Jordan")
    holder = None
    if make_url(store).get_backend_name() == "sqlite":
        # Another process writing: SQLite's one write lock, held until this test lets go.
        holder = sqlite3.connect(make_url(store).database or "", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    answered: list[list[dict[str, object]]] = []
    failed: list[BaseException] = []
    question = tracker(conversation, "when is my next session", "appointment_info")

    def ask() -> None:
        try:
            answered.append(run_action(AppointmentInfo(), question)[0])
        except Exception as error:  # reported below, on the test's thread
            failed.append(error)

    # The lock is held until the question has been answered or has failed: no deadline to
    # guess. A turn that queued for the write lock fails on the store's busy timeout
    # ("database is locked") while the lock is still held.
    worker = threading.Thread(target=ask)
    try:
        worker.start()
        worker.join()
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
    assert not failed, f"a read-only question waited for the write lock: {failed[0]!r}"
    assert answered and answered[0][0]["text"].startswith("Your next session is")


def test_a_turn_that_writes_after_all_runs_again_as_a_writer(store: str) -> None:
    conversation = make_conversation(store, "Jordan")
    attempts: list[str] = []

    def hand_off(turn: BotTurn) -> str:
        attempts.append("attempt")
        turn.hand_off(HandoffReason.REQUESTED, nlu_confidence=None, top_intents=[], context={})
        return f"said on attempt {len(attempts)}"

    assert run_bot_turn(conversation, hand_off, request_id=None, read_first=True) == "said on attempt 2"
    assert tickets(store, conversation) == 1  # the refused attempt left nothing


def test_a_change_never_flushed_is_not_lost_in_a_read_only_attempt(store: str) -> None:
    conversation = make_conversation(store, "Jordan")
    attempts: list[str] = []

    def ask(turn: BotTurn) -> None:
        attempts.append("attempt")
        turn.ask_if_safe("reschedule")  # changes the conversation row only; nothing queries after it

    run_bot_turn(conversation, ask, request_id=None, read_first=True)
    assert len(attempts) == 2
    with session_scope(store) as session:
        stored = session.get_one(Conversation, conversation)
        assert stored.safety_check_pending and stored.safety_check_resume == "reschedule"


def test_other_failures_are_not_retried(store: str) -> None:
    conversation = make_conversation(store, "Jordan")
    attempts: list[str] = []

    def broken(_turn: BotTurn) -> None:
        attempts.append("attempt")
        raise ValueError("broken action")

    with pytest.raises(ValueError, match="broken action"):
        run_bot_turn(conversation, broken, request_id=None, read_first=True)
    assert attempts == ["attempt"]
