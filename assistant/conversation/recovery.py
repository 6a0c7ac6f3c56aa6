"""Answering messages that were accepted but never answered (a crash, a restart, a job
that failed twice), on every channel, from whichever gateway process gets there first.

At start-up and then every minute, each inbound message still 'received' whose lease is
free (or expired: its worker died) is claimed with a lease and handed to its channel's
dispatcher, which answers it in order with the rest of its conversation.  Two processes
recovering at once never both answer one message: the lease's conditional UPDATE picks one.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping

from sqlalchemy import select

from assistant.conversation import lease
from assistant.logs import get_logger
from assistant.store.engine import session_scope
from assistant.store.models import Channel, Conversation, Direction, Message, MessageStatus, utcnow

log = get_logger("conversation.recovery")
SWEEP_SECONDS = 60

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
    ) -> None:
        self._dispatchers = dict(dispatchers)
        self._owner = owner  # this process's lease name: the pipeline's
        self._database_url = database_url
        self._sweep_seconds = sweep_seconds
        self._stopping = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep, name="inbound-sweeper", daemon=True)

    def start(self) -> None:
        self.recover()
        self._sweeper.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._sweeper.is_alive():
            self._sweeper.join(timeout=15)

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
        with session_scope(self._database_url) as session:
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
        return taken
