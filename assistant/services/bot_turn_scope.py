"""Units of work for the dialogue actions: one `BotTurn` per action run, read-only when it can be.

Most questions ("when is my next session?", "what times do you have?") only read, and on
SQLite a writer's transaction takes the write lock at BEGIN (store/engine.py), so every such
action used to queue behind every write in the gateway. `run_bot_turn(..., read_first=True)`
runs the action in a read-only transaction first (DEFERRED, refused any write). If the action
turns out to write (a hand-off, a link issued), the database refuses the write, the read
attempt is thrown away with everything it said, and the action runs again as a writer: the
result is the same as if it had been a writer from the start. Everything an action changes,
messages to on-call included, goes through the store (the outbox), so a discarded attempt
leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from assistant.logs import get_logger
from assistant.services.bot_turn import BotTurn
from assistant.services.conversations import get_conversation, open_handoff
from assistant.store.engine import is_read_only_violation, read_scope, session_scope
from assistant.store.models import HandoffReason, utcnow

log = get_logger("bot_turn")

T = TypeVar("T")


@contextmanager
def open_bot_turn(conversation_id: str, *, request_id: str | None, now: dt.datetime | None = None) -> Iterator[BotTurn]:
    """The turn for one action run; raises `ConversationNotFound` for an unknown conversation."""
    with session_scope() as session:
        conversation = get_conversation(session, conversation_id)
        yield BotTurn(session, conversation, now or utcnow(), request_id)


def run_bot_turn(
    conversation_id: str,
    body: Callable[[BotTurn], T],
    *,
    request_id: str | None,
    read_first: bool,
    now: dt.datetime | None = None,
) -> T:
    """`body(turn)` in one unit of work; with `read_first`, read-only unless it needs to write.

    `body` may run twice, so it must keep what it produces (messages, events) in its result,
    not hand it out before returning.
    """
    now = now or utcnow()
    if read_first:
        try:
            with read_scope() as session:
                result = body(BotTurn(session, get_conversation(session, conversation_id), now, request_id))
                session.flush()  # a change the action made but never flushed must not be lost
                return result
        except DBAPIError as error:
            if not is_read_only_violation(error):
                raise
            log.info("bot_turn_writes_after_all", conversation=conversation_id)
    with open_bot_turn(conversation_id, request_id=request_id, now=now) as turn:
        return body(turn)


def hand_off_after_failure(conversation_id: str, *, failed_action: str, request_id: str | None) -> None:
    """An action broke: a person takes over (in a fresh unit of work, the failed one rolled back)."""
    with session_scope() as session:
        conversation = get_conversation(session, conversation_id)
        open_handoff(
            session,
            conversation,
            HandoffReason.REPEATED_FAILURE,
            context={"failed_action": failed_action},
            request_id=request_id,
        )
