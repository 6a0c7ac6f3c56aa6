"""The per-address rate limiter: moving windows, Retry-After, and failing open without Redis."""

from __future__ import annotations

import logging
import os
import secrets

import pytest

from assistant.services.throttle import RateLimiter, namespace_for, parse_limits

LIMITS = parse_limits("3/minute;5/hour")


def _exhaust(limiter: RateLimiter, key: str) -> list[int | None]:
    waits = []
    for _ in range(4):
        waits.append(limiter.retry_after(LIMITS, "test", key))
        limiter.hit(LIMITS, "test", key)
    return waits


def test_in_memory_a_key_waits_once_its_window_is_full() -> None:
    limiter = RateLimiter()
    waits = _exhaust(limiter, "198.51.100.1")
    assert waits[:3] == [None, None, None]
    assert waits[3] is not None and 0 < waits[3] <= 60
    assert limiter.retry_after(LIMITS, "test", "198.51.100.2") is None  # other keys unaffected


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_in_redis_processes_share_the_counts_within_a_namespace() -> None:
    namespace = f"test-throttle:{secrets.token_hex(8)}"  # nothing left over from other runs
    one = RateLimiter(os.environ["REDIS_URL"], namespace=namespace)
    other = RateLimiter(os.environ["REDIS_URL"], namespace=namespace)
    elsewhere = RateLimiter(os.environ["REDIS_URL"], namespace=namespace + "-other")
    for _ in range(3):
        one.hit(LIMITS, "test", "198.51.100.3")
    assert other.retry_after(LIMITS, "test", "198.51.100.3") is not None
    assert elsewhere.retry_after(LIMITS, "test", "198.51.100.3") is None


def test_an_unreachable_redis_fails_open_and_counts_in_this_process(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RateLimiter("redis://127.0.0.1:1/0", namespace="unreachable")
    with caplog.at_level(logging.ERROR, logger="throttle"):
        waits = _exhaust(limiter, "198.51.100.4")
    assert waits[:3] == [None, None, None] and waits[3] is not None
    assert any(record.getMessage() == "rate_limit_store_unavailable" for record in caplog.records)


def test_namespaces_follow_the_database_and_do_not_show_it() -> None:
    url = "postgresql+psycopg://user:secret@db/front"
    assert namespace_for(url) == namespace_for(url) != namespace_for(url + "2")
    assert "secret" not in namespace_for(url)
