"""Answering messages that were accepted but never answered (a crash, a restart, a job
that failed twice), on every channel, from whichever gateway process gets there first.

At start-up and then every minute, each inbound message still 'received' whose lease is
free (or expired: its worker died) is claimed with a lease and handed to its channel's
dispatcher, which answers it in order with the rest of its conversation.  Two processes
recovering at once never both answer one message: the lease's conditional UPDATE picks one.

Messages held while the bot was out (conversation/outage.py) are retried sooner: every
few seconds, once `bot_ready` says the bot is back (and, bot or no bot, once they have
waited the hold out, so that the pipeline hands them to a person).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping

from sqlalchemy import select

from assistant.conversation import lease
from assistant.logs import get_logger
from assistant.store.engine import read_scope, session_scope
from assistant.store.models import Channel, Conversation, Direction, Message, MessageStatus, utcnow

log = get_logger("conversation.recovery")
SWEEP_SECONDS = 60
HELD_RETRY_SECONDS = 2.0
# A message this young may still be on its way to its own first turn (accepted, not yet
# claimed): held-message retries leave it to that turn.
HELD_MIN_AGE = dt.timedelta(seconds=1)

# (conversation id, message id): answer this message, already leased to this process.
Dispatch = Callable[[str, int], None]


class Recovery:
    def __init__(
        self,
        dispatchers: Mapping[Channel, Dispatch],
        *,
        owner: str,
        database_url: str | None = None,
        sweep_seconds: float = SWEEP_SECONDS,
        bot_ready: Callable[[], bool] | None = None,
        hold_seconds: float = 0.0,
        held_retry_seconds: float = HELD_RETRY_SECONDS,
    ) -> None:
        self._dispatchers = dict(dispatchers)
        self._bot_ready = bot_ready or (lambda: True)
        self._hold = dt.timedelta(seconds=hold_seconds)
        self._held_retry_seconds = held_retry_seconds
        self._held = threading.Event()
        self._held_retrier = threading.Thread(target=self._retry_held, name="held-retrier", daemon=True)
        self._owner = owner  # this process's lease name: the pipeline's
        self._database_url = database_url
        self._sweep_seconds = sweep_seconds
        self._stopping = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep, name="inbound-sweeper", daemon=True)

    def start(self) -> None:
        self.recover()
        self._sweeper.start()
        self._held_retrier.start()

    def stop(self) -> None:
        self._stopping.set()
        self._held.set()
        for thread in (self._sweeper, self._held_retrier):
            if thread.is_alive():
                thread.join(timeout=15)

    def wake_for_held(self) -> None:
        """A turn held its message for the bot (the pipeline's `on_hold`)."""
        self._held.set()

    def _retry_held(self) -> None:
        while not self._stopping.is_set():
            if not self._held.wait(timeout=self._sweep_seconds) or self._stopping.wait(self._held_retry_seconds):
                continue
            try:
                self._held.clear()  # before looking: a hold from now on sets it again
                back = self._bot_ready()
                self.recover(older_than=HELD_MIN_AGE if back else self._hold)
                if self.pending(older_than=dt.timedelta(0), now=utcnow()):
                    self._held.set()
            except Exception:
                self._held.set()
                log.exception("held_retry_failed")

    def _sweep(self) -> None:
        """Every minute, pick up anything accepted over a minute ago and still unanswered."""
        while not self._stopping.wait(self._sweep_seconds):
            try:
                self.recover(older_than=dt.timedelta(seconds=self._sweep_seconds))
            except Exception:
                log.exception("sweep_failed")

    def pending(self, *, older_than: dt.timedelta, now: dt.datetime) -> list[tuple[int, str, Channel, str | None]]:
        """Unanswered inbound messages nobody holds a live lease on (this process's own live
        leases are jobs already queued here), oldest first, each with the dead owner whose
        lease it still carries (None when the lease is free or expired)."""
        with read_scope(self._database_url) as session:
            rows = session.execute(
                select(
                    Message.id, Message.conversation_id, Conversation.channel, Message.leased_by, Message.lease_until
                )
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(
                    Message.direction == Direction.INBOUND,
                    Message.status == MessageStatus.RECEIVED,
                    Message.created_at <= now - older_than,
                )
                .order_by(Message.id)
            ).all()
        waiting: list[tuple[int, str, Channel, str | None]] = []
        for row in rows:
            if row.lease_until is None or row.lease_until < now:
                waiting.append((row.id, row.conversation_id, row.channel, None))
            elif row.leased_by != self._owner and lease.owner_is_dead(row.leased_by):
                # Its process crashed: no need to wait for the lease to run out.
                waiting.append((row.id, row.conversation_id, row.channel, row.leased_by))
        return waiting

    def recover(self, older_than: dt.timedelta | None = None, now: dt.datetime | None = None) -> int:
        """Claim and dispatch every unanswered message; returns how many this process took."""
        now = now or utcnow()
        taken = 0
        for message_id, conversation_id, channel, dead_owner in self.pending(
            older_than=older_than or dt.timedelta(0), now=now
        ):
            dispatch = self._dispatchers.get(channel)
            if dispatch is None:
                continue
            with session_scope(self._database_url) as session:
                claimed = lease.claim(session, message_id, owner=self._owner, now=now, take_over_from=dead_owner)
            if claimed:
                dispatch(conversation_id, message_id)
                taken += 1
        if taken:
            log.info("recovered_unanswered_messages", count=taken)
            self._held.set()  # the bot may still be out for some of them
        return taken
