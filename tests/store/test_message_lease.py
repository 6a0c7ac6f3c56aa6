"""Accepted-but-unanswered messages are answered exactly once, whoever recovers them.

Two gateway processes recovering at the same instant (a barrier releases them together;
each has its own connections and its own lease name) each claim messages with a lease:
every message gets one answer.  A message whose worker died (its lease expired, or its
process on this host is gone) is recovered; one whose lease is live is left alone.
Runs on SQLite and, with TEST_POSTGRES_URL, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import threading
from collections import Counter
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assistant.channels.sms.channel import SmsChannel
from assistant.config import Settings
from assistant.conversation import lease
from assistant.conversation.pipeline import Pipeline, accept
from assistant.conversation.recovery import Recovery
from assistant.dialogue.bot import BotReply
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    Direction,
    Message,
    MessageStatus,
    utcnow,
)
from tests.support.race import race

if TYPE_CHECKING:
    from tests.store.conftest import Clinic

MESSAGES = 12


class CountingBot:
    """Answers every message it is sent, and counts what it was sent."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self._lock = threading.Lock()

    def send(self, conversation_id: str, text: str, request_id: str | None) -> list[BotReply]:
        with self._lock:
            self.sent[text] += 1
        return [BotReply(f"answer to {text}")]

    def restart(self, conversation_id: str) -> None:
        pass


def _unanswered(session: Session, clinic: Clinic, count: int, channel: Channel = Channel.WEB) -> list[int]:
    conversations = [
        Conversation(
            practice_id=clinic.practice_id, channel=channel, address="+15555550111" if channel is Channel.SMS else None
        )
        for _ in range(2)
    ]
    session.add_all(conversations)
    session.flush()
    ids = [accept(session, conversations[i % 2].id, f"question {i}", request_id=None).id for i in range(count)]
    session.commit()
    return ids


def _answers(session: Session) -> Counter[str]:
    session.expire_all()
    return Counter(
        session.scalars(
            select(Message.text).where(Message.direction == Direction.OUTBOUND, Message.author == Author.BOT)
        ).all()
    )


def _lease(session: Session, message_id: int, *, owner: str, until: dt.datetime) -> None:
    message = session.get(Message, message_id)
    message.leased_by, message.lease_until = owner, until
    session.commit()


def _recovery(pipeline: Pipeline, db_url: str) -> Recovery:
    """A process's recovery, answering web chat messages with its own pipeline."""
    return Recovery(
        {Channel.WEB: lambda _conversation_id, message_id: pipeline.process(message_id)},
        owner=pipeline.owner,
        database_url=db_url,
    )


def _recording(db_url: str, dispatched: list[int], owner: str | None = None) -> Recovery:
    return Recovery(
        {Channel.WEB: lambda _conversation_id, message_id: dispatched.append(message_id)},
        owner=owner or lease.new_owner(),
        database_url=db_url,
    )


def test_two_processes_recovering_at_once_take_each_message_once(
    engine: Engine, session: Session, clinic: Clinic, db_url: str
) -> None:
    ids = _unanswered(session, clinic, MESSAGES)
    now = utcnow()
    taken: list[list[int]] = [[], []]
    processes = [_recording(db_url, mine) for mine in taken]

    counts = race(engine, 2, lambda _own, index: processes[index].recover(now=now))

    assert counts == [len(mine) for mine in taken], counts
    assert sorted(taken[0] + taken[1]) == sorted(ids)


def test_two_processes_recovering_at_once_answer_each_message_once(
    engine: Engine, session: Session, clinic: Clinic, db_url: str
) -> None:
    ids = _unanswered(session, clinic, MESSAGES)
    # Recovery's clock and the turns' own claims (the real clock) must agree.
    now = utcnow()
    bot = CountingBot()
    processes = [_recovery(Pipeline(bot, db_url), db_url) for _ in range(2)]

    taken = race(engine, 2, lambda _own, index: processes[index].recover(now=now))

    assert sum(taken) == MESSAGES, taken
    assert bot.sent == {f"question {i}": 1 for i in range(MESSAGES)}
    assert _answers(session) == {f"answer to question {i}": 1 for i in range(MESSAGES)}
    assert {session.get(Message, mid).status for mid in ids} == {MessageStatus.PROCESSED}


def test_the_live_path_and_recovery_racing_answer_once(
    engine: Engine, session: Session, clinic: Clinic, db_url: str
) -> None:
    """The web chat request answering its message while another process recovers it."""
    (message_id,) = _unanswered(session, clinic, 1)
    now = utcnow()
    bot = CountingBot()
    live = Pipeline(bot, db_url)
    recovery = _recovery(Pipeline(bot, db_url), db_url)

    def attempt(_own: Session, index: int) -> object:
        return live.process(message_id) if index == 0 else recovery.recover(now=now)

    race(engine, 2, attempt)

    assert bot.sent == {"question 0": 1}
    assert _answers(session) == {"answer to question 0": 1}


def test_a_turn_that_lost_its_lease_says_nothing(session: Session, clinic: Clinic, db_url: str) -> None:
    """A turn outlived its lease and another process took the message over: the late
    turn's replies are dropped, whatever the bot said."""
    (message_id,) = _unanswered(session, clinic, 1)
    bot = CountingBot()
    slow = Pipeline(bot, db_url)
    original_send = bot.send

    def send_then_lose_the_lease(conversation_id: str, text: str, request_id: str | None) -> list[BotReply]:
        _lease(session, message_id, owner="another-process", until=utcnow() + dt.timedelta(minutes=1))
        return original_send(conversation_id, text, request_id)

    bot.send = send_then_lose_the_lease  # type: ignore[method-assign]
    result = slow.process(message_id)

    assert result.replies == []
    assert _answers(session) == {}
    assert session.get(Message, message_id).status is MessageStatus.RECEIVED


def test_a_message_whose_lease_expired_is_recovered(session: Session, clinic: Clinic, db_url: str) -> None:
    (message_id,) = _unanswered(session, clinic, 1)
    now = utcnow()
    _lease(session, message_id, owner="crashed-worker", until=now - dt.timedelta(seconds=1))
    dispatched: list[int] = []
    recovery = _recording(db_url, dispatched)

    assert recovery.recover(now=now) == 1

    assert dispatched == [message_id]
    session.expire_all()
    message = session.get(Message, message_id)
    assert message.leased_by == recovery._owner
    assert message.lease_until == now + lease.LEASE
    # The old worker, back from the dead, cannot take it back.
    assert not lease.claim(session, message_id, owner="crashed-worker", now=now)


def test_a_live_lease_of_a_crashed_process_on_this_host_is_taken_over(
    session: Session, clinic: Clinic, db_url: str
) -> None:
    """kill -9 of a gateway: its successor need not wait for the lease to run out."""
    (message_id,) = _unanswered(session, clinic, 1)
    now = utcnow()
    exited = subprocess.Popen(["true"])
    exited.wait()  # reaped: its pid no longer exists
    dead = f"{socket.gethostname()[:30]}:{exited.pid}:0123456789abcdef"
    _lease(session, message_id, owner=dead, until=now + dt.timedelta(minutes=4))
    dispatched: list[int] = []

    assert _recording(db_url, dispatched).recover(now=now) == 1
    assert dispatched == [message_id]


def test_a_live_lease_is_left_alone(session: Session, clinic: Clinic, db_url: str) -> None:
    (message_id,) = _unanswered(session, clinic, 1)
    now = utcnow()
    alive = f"{socket.gethostname()[:30]}:{os.getpid()}:0123456789abcdef"  # this very process
    _lease(session, message_id, owner=alive, until=now + dt.timedelta(seconds=30))
    dispatched: list[int] = []

    assert _recording(db_url, dispatched).recover(now=now) == 0
    assert _recording(db_url, dispatched, owner="elsewhere:1:x").recover(now=now) == 0
    assert dispatched == []
    assert not lease.claim(session, message_id, owner="someone-else", now=now)
    assert lease.claim(session, message_id, owner=alive, now=now)  # its owner renews it
    session.rollback()


def test_an_answered_message_is_never_claimed(session: Session, clinic: Clinic, db_url: str) -> None:
    (message_id,) = _unanswered(session, clinic, 1)
    now = utcnow()
    Pipeline(CountingBot(), db_url).process(message_id)
    assert not lease.claim(session, message_id, owner="late-worker", now=now + dt.timedelta(hours=1))
    session.rollback()  # (SQLite: give the write lock back before recovery's own session)
    assert _recording(db_url, []).recover(now=now + dt.timedelta(hours=1)) == 0


def test_the_sms_channel_leaves_a_text_another_process_holds(session: Session, clinic: Clinic, db_url: str) -> None:
    (held, free) = _unanswered(session, clinic, 2, Channel.SMS)
    now = utcnow()
    _lease(session, held, owner="other-host:1:x", until=now + dt.timedelta(minutes=1))
    bot = CountingBot()
    channel = SmsChannel(Settings(assistant_env="test", database_url=db_url), Pipeline(bot, db_url))
    try:
        assert channel.enqueue("any", held) is False  # not even queued
        assert channel.enqueue("any", free) is True
        assert channel.workers.wait_idle(30)
    finally:
        channel.stop()

    session.expire_all()
    assert session.get(Message, held).status is MessageStatus.RECEIVED
    assert session.get(Message, held).leased_by == "other-host:1:x"
    assert session.get(Message, free).status is MessageStatus.PROCESSED
