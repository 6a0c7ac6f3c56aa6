"""The per-number limiter, in process and (when REDIS_URL is set, as in CI) in Redis."""

from __future__ import annotations

import os

import pytest

from assistant.channels.sms.ratelimit import WINDOW_SECONDS, RateLimiter

BACKENDS = ["memory", "redis"]


@pytest.fixture(params=BACKENDS)
def limiter(request: pytest.FixtureRequest, redis_url: str) -> RateLimiter:
    if request.param == "redis":
        if not redis_url:
            if os.environ.get("CI"):
                pytest.fail("REDIS_URL must be set in CI")
            pytest.skip("REDIS_URL is not set")
        return RateLimiter(3, redis_url)
    return RateLimiter(3)


def test_counts_per_number_per_window(limiter: RateLimiter) -> None:
    now = 1_000_000.0 * WINDOW_SECONDS
    counts = [limiter.hit("+15555550123", now) for _ in range(5)]
    assert counts == [1, 2, 3, 4, 5]
    assert [limiter.allows(c) for c in counts] == [True, True, True, False, False]
    assert [limiter.first_over(c) for c in counts] == [False, False, False, True, False]
    assert limiter.hit("+15555550124", now) == 1  # another number is not affected
    assert limiter.hit("+15555550123", now + WINDOW_SECONDS) == 1  # a new window


def test_an_unreachable_redis_fails_open() -> None:
    from assistant.stack import free_port

    limiter = RateLimiter(3, f"redis://127.0.0.1:{free_port()}/0")
    assert [limiter.hit("+15555550123") for _ in range(2)] == [1, 2]  # counted in process instead
