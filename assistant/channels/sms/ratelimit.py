"""Per-number rate limit: a fixed one-minute window, in Redis when configured
(shared by every gateway process), else in this process."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

import redis

from assistant.logs import get_logger

log = get_logger("sms.ratelimit")

WINDOW_SECONDS = 60


class RateLimiter:
    def __init__(self, limit_per_minute: int, redis_url: str = "") -> None:
        self.limit = limit_per_minute
        self._redis = redis.Redis.from_url(redis_url) if redis_url else None
        self._counts: dict[tuple[str, int], int] = defaultdict(int)
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> int:
        """Count one message for `key`; returns how many it has sent in this window."""
        window = int((now or time.time()) // WINDOW_SECONDS)
        if self._redis is not None:
            name = f"sms-rate:{key}:{window}"
            try:
                with self._redis.pipeline() as pipe:
                    count, _ = pipe.incr(name).expire(name, WINDOW_SECONDS * 2).execute()
                return int(count)
            except redis.RedisError as error:
                # Fail open: a broken cache must never cost a client their answer.
                log.error("rate_limit_store_unavailable", error=type(error).__name__)
        with self._lock:
            for stale in [k for k in self._counts if k[1] < window]:
                del self._counts[stale]
            self._counts[(key, window)] += 1
            return self._counts[(key, window)]

    def allows(self, count: int) -> bool:
        return count <= self.limit

    def first_over(self, count: int) -> bool:
        """The first message over the limit gets the 'slow down' reply; later ones none."""
        return count == self.limit + 1
