"""Rate limits per key (moving windows, the `limits` library): how often one source may try.

Counts live in Redis when `REDIS_URL` is set, so every gateway process sees the same
numbers; otherwise in this process.  Keys are namespaced per deployment (a hash of the
database URL): the processes of one deployment share the database and so the counts,
while a test app on its own fresh database starts from zero.

A broken Redis never turns clients away: the limiter logs the error and counts in
this process until Redis answers again (fail open, as the SMS rate limit does).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from limits import RateLimitItem, WindowStats, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

from assistant.logs import get_logger

log = get_logger("throttle")

Limits = Sequence[RateLimitItem]
REDIS_TIMEOUT_SECONDS = 1.0
T = TypeVar("T")


def parse_limits(spec: str) -> list[RateLimitItem]:
    """'10/minute;30/hour' -> the limits a key must stay within, all of them."""
    return list(parse_many(spec))


def namespace_for(database_url: str) -> str:
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    return f"frontdesk-throttle:{digest}"


def redis_storage(redis_url: str, namespace: str) -> RedisStorage:
    """Counts every gateway process shares.  Its errors arrive as `StorageError`, so a
    caller can fail open; short timeouts: a hung Redis must not hold up a chat (the
    caller then counts locally).  Also the SMS per-number limit's (channels/sms/ratelimit.py)."""
    return RedisStorage(
        redis_url,
        key_prefix=namespace,
        wrap_exceptions=True,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )


class RateLimiter:
    """One per app (`app.state.rate_limiter`); callers bring their own limits and keys."""

    def __init__(self, redis_url: str = "", *, namespace: str = "frontdesk-throttle") -> None:
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._shared: MovingWindowRateLimiter | None = None
        if redis_url:
            self._shared = MovingWindowRateLimiter(redis_storage(redis_url, namespace))

    def retry_after(self, limits: Limits, *key: str) -> int | None:
        """Seconds until `key` may act again under every one of `limits`; None if it may now."""
        now = time.time()
        waits = [math.ceil(self._stats(item, key).reset_time - now) for item in limits if not self._allows(item, key)]
        return max(1, *waits) if waits else None

    def hit(self, limits: Limits, *key: str) -> None:
        """Count one event for `key` against each of `limits` (a full window stays full)."""
        for item in limits:
            self._hit(item, key)

    def _allows(self, item: RateLimitItem, key: tuple[str, ...]) -> bool:
        return self._use(lambda limiter: limiter.test(item, *key))

    def _hit(self, item: RateLimitItem, key: tuple[str, ...]) -> bool:
        return self._use(lambda limiter: limiter.hit(item, *key))

    def _stats(self, item: RateLimitItem, key: tuple[str, ...]) -> WindowStats:
        return self._use(lambda limiter: limiter.get_window_stats(item, *key))

    def _use(self, operation: Callable[[MovingWindowRateLimiter], T]) -> T:
        if self._shared is not None:
            try:
                return operation(self._shared)
            except StorageError as error:
                # Fail open: a broken cache must never cost a client their answer.
                log.error("rate_limit_store_unavailable", error=type(error.storage_error).__name__)
        return operation(self._local)
