"""When to restart a child that exited, and when its restarts amount to a crash loop.

Pure functions of the restart history (no clock, no processes), so the schedule is tested
exactly and the supervisor, `/healthz` and `assistant doctor` all judge by one rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RestartPolicy:
    """1 s, 2 s, 4 s ... up to 30 s between restarts; back to 1 s once a child has stayed up
    for `reset_after` seconds.  `crash_loop_restarts` restarts within `crash_loop_window`
    seconds is a crash loop: it is reported, and restarts go on at the backoff's pace."""

    initial_delay: float = 1.0
    max_delay: float = 30.0
    factor: float = 2.0
    reset_after: float = 60.0
    crash_loop_restarts: int = 5
    crash_loop_window: float = 120.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before restart number `attempt` (0: the first after a good run)."""
        if attempt < 0:
            raise ValueError("attempt counts from 0")
        # min() before the power would be nicer, but 2.0 ** 1000 is still a float: cap the exponent.
        return min(self.max_delay, self.initial_delay * self.factor ** min(attempt, 64))

    def next_attempt(self, attempt: int, uptime: float) -> int:
        """The attempt number for this exit: a child that ran long enough starts again from 0."""
        return 0 if uptime >= self.reset_after else attempt

    def is_crash_looping(self, restart_times: Sequence[float], now: float) -> bool:
        """Whether enough of `restart_times` (seconds, any clock shared with `now`) are recent."""
        recent = [moment for moment in restart_times if now - self.crash_loop_window <= moment <= now]
        return len(recent) >= self.crash_loop_restarts

    def recent(self, restart_times: Sequence[float], now: float) -> list[float]:
        """The restart times a crash-loop judgement still needs (older ones can be forgotten)."""
        return [moment for moment in restart_times if moment >= now - self.crash_loop_window]
