"""The per-number limiter, in process and (when REDIS_URL is set, as in CI) in Redis.
Its clock is frozen and moved with time-machine (both stores count by the caller's clock)."""

from __future__ import annotations

import datetime as dt
import logging
import os

import pytest
from time_machine import TimeMachineFixture

from assistant.channels.sms.ratelimit import WINDOW_SECONDS, RateLimiter

BACKENDS = ["memory", "redis"]
# Ten seconds into a minute: every hit below lands in the same window until the clock moves.
MOMENT = dt.datetime(2030, 1, 7, 12, 0, 10, tzinfo=dt.UTC)


@pytest.fixture(params=BACKENDS)
def limiter(request: pytest.FixtureRequest, redis_url: str) -> RateLimiter:
    if request.param == "redis":
        if not redis_url:
            if os.environ.get("CI"):
                pytest.fail("REDIS_URL must be set in CI")
            pytest.skip("REDIS_URL is not set")
        return RateLimiter(3, redis_url)
    return RateLimiter(3)


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(MOMENT, tick=False)
    return time_machine


def test_counts_per_number_per_window(limiter: RateLimiter, clock: TimeMachineFixture) -> None:
    counts = [limiter.hit("+15555550123") for _ in range(5)]
    assert counts == [1, 2, 3, 4, 5]
    assert [limiter.allows(c) for c in counts] == [True, True, True, False, False]
    assert [limiter.first_over(c) for c in counts] == [False, False, False, True, False]
    assert limiter.hit("+15555550124") == 1  # another number is not affected
    clock.shift(WINDOW_SECONDS)
    assert limiter.hit("+15555550123") == 1  # a new window


def test_the_window_is_the_clocks_minute(limiter: RateLimiter, clock: TimeMachineFixture) -> None:
    clock.move_to(MOMENT.replace(second=59), tick=False)
    assert [limiter.hit("+15555550125") for _ in range(4)] == [1, 2, 3, 4]
    clock.shift(1)  # the next minute has begun, though the first message was a second ago
    assert limiter.hit("+15555550125") == 1
    clock.shift(WINDOW_SECONDS - 1)  # the end of that minute: still counting it
    assert limiter.hit("+15555550125") == 2


def test_an_unreachable_redis_fails_open(caplog: pytest.LogCaptureFixture) -> None:
    from assistant.stack import free_port

    limiter = RateLimiter(3, f"redis://127.0.0.1:{free_port()}/0")
    with caplog.at_level(logging.ERROR, logger="sms.ratelimit"):
        assert [limiter.hit("+15555550123") for _ in range(2)] == [1, 2]  # counted in process instead
    assert [record.getMessage() for record in caplog.records].count("rate_limit_store_unavailable") == 2
