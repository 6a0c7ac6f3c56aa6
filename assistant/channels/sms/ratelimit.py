"""Per-number rate limit: a fixed one-minute window, counted by the `limits` library in
Redis when configured (shared by every gateway process), else in this process.

The window is the clock's minute, as it has always been: the minute is part of each
count's key, so a new minute starts a new count in every process (and under a test's
frozen clock), and `limits` lets the old key expire.  The count itself is the fixed
window's one atomic step, `storage.incr` with an expiry, called directly: the strategy
answers only "allowed or not", and the first message over the limit is answered ("slow
down") while later ones are not.

A broken Redis never costs a client their answer: it is logged and this process counts
instead (fail open), as in assistant/services/throttle.py, whose Redis set-up this shares.
"""

from __future__ import annotations

import time

from limits import RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage

from assistant.logs import get_logger
from assistant.services.throttle import redis_storage

log = get_logger("sms.ratelimit")

WINDOW_SECONDS = 60
NAMESPACE = "frontdesk-sms-rate"


class RateLimiter:
    def __init__(self, limit_per_minute: int, redis_url: str = "", *, namespace: str = NAMESPACE) -> None:
        self.limit = limit_per_minute
        self._item = RateLimitItemPerMinute(limit_per_minute)
        self._local: Storage = MemoryStorage()
        self._shared: Storage | None = redis_storage(redis_url, namespace) if redis_url else None

    def hit(self, key: str) -> int:
        """Count one message for `key`; returns how many it has sent in this minute."""
        minute = str(int(time.time() // WINDOW_SECONDS))
        if self._shared is not None:
            try:
                return self._count(self._shared, key, minute)
            except StorageError as error:
                # Fail open: a broken cache must never cost a client their answer.
                log.error("rate_limit_store_unavailable", error=type(error.storage_error).__name__)
        return self._count(self._local, key, minute)

    def _count(self, storage: Storage, *identifiers: str) -> int:
        return storage.incr(self._item.key_for(*identifiers), self._item.get_expiry())

    def allows(self, count: int) -> bool:
        return count <= self.limit

    def first_over(self, count: int) -> bool:
        """The first message over the limit gets the 'slow down' reply; later ones none."""
        return count == self.limit + 1
