"""What the event streams wait on between two reads: a change, or their poll interval.

On PostgreSQL one thread per process LISTENs on the store's channel (store/notify.py) on
a connection of its own (psycopg 3, autocommit) and wakes every stream subscribed to the
conversation named in a notification; the console's queue stream subscribes to every
conversation.  A stream then reads what changed, as it would after a poll.  Streams
subscribe before their first read and clear their flag before each read, so a change
committed between a read and the wait is never missed.  While the listener is
(re)connecting, and on SQLite, which has no notifications, streams poll as before.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import anyio
import psycopg
from sqlalchemy import make_url

from assistant.logs import get_logger
from assistant.store.notify import CHANNEL

log = get_logger("live.changes")

EVERYTHING = "*"  # a subscription to every conversation's changes
RECONNECT_SECONDS = 1.0


class Subscription:
    """One stream's flag, set from the listener's thread on its event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._loop.call_soon_threadsafe(self._event.set)

    def clear(self) -> None:
        self._event.clear()

    async def wait(self, timeout: float) -> None:
        """Until a change or `timeout` seconds, whichever comes first."""
        with anyio.move_on_after(timeout):
            await self._event.wait()


class LiveChanges:
    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        self._conninfo = (
            url.set(drivername="postgresql").render_as_string(hide_password=False)
            if url.get_backend_name() == "postgresql"
            else None
        )
        self._subscribers: dict[str, set[Subscription]] = {}
        self._lock = threading.Lock()
        self._listening = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="live-changes", daemon=True)

    @property
    def listening(self) -> bool:
        """True while notifications arrive: streams need not poll."""
        return self._listening.is_set()

    def start(self) -> None:
        if self._conninfo is not None:
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def wait_listening(self, timeout: float) -> bool:
        return self._listening.wait(timeout)

    @contextmanager
    def subscribe(self, conversation_id: str = EVERYTHING) -> Iterator[Subscription]:
        """Called on the stream's event loop."""
        subscription = Subscription(asyncio.get_running_loop())
        with self._lock:
            self._subscribers.setdefault(conversation_id, set()).add(subscription)
        try:
            yield subscription
        finally:
            with self._lock:
                group = self._subscribers.get(conversation_id, set())
                group.discard(subscription)
                if not group:
                    self._subscribers.pop(conversation_id, None)

    def _wake(self, conversation_id: str | None) -> None:
        """Wake the conversation's subscribers and the everything-subscribers (None: all)."""
        with self._lock:
            if conversation_id is None:
                woken = [s for group in self._subscribers.values() for s in group]
            else:
                woken = [*self._subscribers.get(conversation_id, ()), *self._subscribers.get(EVERYTHING, ())]
        for subscription in woken:
            subscription.notify()

    def _listen(self) -> None:
        assert self._conninfo is not None
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    self._wake(None)  # anything may have changed while nobody listened
                    while not self._stopping.is_set():
                        for notification in connection.notifies(timeout=1.0):
                            self._wake(notification.payload)
            except psycopg.Error as error:
                log.warning("live_listener_disconnected", error=type(error).__name__)
            finally:
                self._listening.clear()
            self._stopping.wait(RECONNECT_SECONDS)


def live_changes_of(state: object) -> LiveChanges:
    """The app's listener (set up by its lifespan), or one that never listens: streams poll."""
    found = getattr(state, "live", None)
    return found if isinstance(found, LiveChanges) else _NEVER_LISTENING


_NEVER_LISTENING = LiveChanges("sqlite://")
