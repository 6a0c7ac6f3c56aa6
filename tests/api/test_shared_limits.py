"""Two gateway processes sharing Redis share their counts: a client cannot get twice the
limit by landing on both (REDIS_URL; in-process counts otherwise).  Two apps on one
database stand in for two processes: each has its own limiter, as a process would.
(Sign-in throttling for reps counts failed attempts in the database, which every
process already shares: tests/store/test_sign_in_throttle.py.)"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from time_machine import TimeMachineFixture

from assistant.api.main import create_app
from assistant.channels.sms.ratelimit import RateLimiter as NumberLimiter
from assistant.config import Settings
from assistant.services import identity_guard
from assistant.stack import free_port


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("REDIS_URL must be set in CI")
        pytest.skip("REDIS_URL is not set")
    return url


@pytest.fixture
def two_gateways(demo_database_url: str, redis_url: str) -> Iterator[tuple[TestClient, TestClient]]:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = Settings(
        assistant_env="test",
        database_url=demo_database_url,  # its own database: its own namespace of counts
        rasa_url=nowhere,
        action_server_url=nowhere,
        redis_url=redis_url,
    )
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        assert first.app.state.rate_limiter is not second.app.state.rate_limiter
        yield first, second


def test_identity_checks_from_one_address_are_counted_across_gateways(
    two_gateways: tuple[TestClient, TestClient],
) -> None:
    limit = identity_guard.SOURCE_FAILURE_LIMITS[0].amount  # per minute
    wrong = {"name": "Nobody Here", "date_of_birth": "1990-01-01"}
    for attempt in range(limit):
        answered = two_gateways[attempt % 2].post("/api/chat/sessions", json=wrong)
        assert answered.status_code == 201 and answered.json()["verified"] is False, attempt

    # Each gateway saw only half the limit; together they saw all of it.
    for gateway in two_gateways:
        refused = gateway.post("/api/chat/sessions", json=wrong)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_texts_from_one_number_are_counted_across_gateways(redis_url: str, time_machine: TimeMachineFixture) -> None:
    # The per-number window is the clock's minute: hold the clock inside one.
    time_machine.move_to(dt.datetime(2030, 1, 7, 12, 0, 10, tzinfo=dt.UTC), tick=False)
    namespace = f"test-shared-{free_port()}-{os.getpid()}"
    first, second = NumberLimiter(3, redis_url, namespace=namespace), NumberLimiter(3, redis_url, namespace=namespace)
    counts = [(first if turn % 2 == 0 else second).hit("+15555550188") for turn in range(4)]
    assert counts == [1, 2, 3, 4]
    assert not second.allows(counts[-1])
