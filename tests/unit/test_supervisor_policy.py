"""The restart schedule and the crash-loop rule (assistant/supervisor/policy.py)."""

from __future__ import annotations

import pytest

from assistant.supervisor.policy import RestartPolicy

POLICY = RestartPolicy()


def test_backoff_doubles_from_one_second_up_to_thirty() -> None:
    assert [POLICY.delay(attempt) for attempt in range(8)] == [1, 2, 4, 8, 16, 30, 30, 30]
    assert POLICY.delay(10_000) == 30  # no overflow however long it crashes


def test_attempts_count_on_while_a_child_dies_fast_and_reset_once_it_stayed_up() -> None:
    assert POLICY.next_attempt(4, uptime=3.0) == 4
    assert POLICY.next_attempt(4, uptime=59.9) == 4
    assert POLICY.next_attempt(4, uptime=60.0) == 0


def test_a_negative_attempt_is_a_bug() -> None:
    with pytest.raises(ValueError):
        POLICY.delay(-1)


def test_five_restarts_within_two_minutes_is_a_crash_loop() -> None:
    now = 10_000.0
    assert POLICY.is_crash_looping([now - 100, now - 80, now - 50, now - 20, now - 1], now)
    assert not POLICY.is_crash_looping([now - 80, now - 50, now - 20, now - 1], now)  # four


def test_restarts_spread_over_more_than_the_window_are_not_a_loop() -> None:
    now = 10_000.0
    spread = [now - 600, now - 450, now - 300, now - 150, now - 1]
    assert not POLICY.is_crash_looping(spread, now)
    assert POLICY.recent(spread, now) == [now - 1]  # older ones can be forgotten


def test_a_loop_ends_when_the_child_stays_up() -> None:
    restarts = [1000.0, 1010.0, 1020.0, 1030.0, 1040.0]
    assert POLICY.is_crash_looping(restarts, 1041.0)
    assert not POLICY.is_crash_looping(restarts, 1000.0 + POLICY.crash_loop_window + 1)


def test_the_thresholds_are_settings() -> None:
    strict = RestartPolicy(initial_delay=0.5, max_delay=4, crash_loop_restarts=2, crash_loop_window=10)
    assert [strict.delay(attempt) for attempt in range(5)] == [0.5, 1, 2, 4, 4]
    assert strict.is_crash_looping([95.0, 99.0], 100.0)
