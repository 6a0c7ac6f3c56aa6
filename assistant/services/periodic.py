"""A background thread that runs one job now and then every `every` seconds until stopped.

The gateway's outreach pass and tracker retention both need exactly this; a scheduler
library (APScheduler) would bring cron parsing, job stores and executors for two fixed
intervals, so this is the whole of it: a stop event doubles as the interruptible wait.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from assistant.logs import get_logger

log = get_logger("periodic")

STOP_TIMEOUT_SECONDS = 15.0


class PeriodicJob:
    def __init__(self, name: str, every_seconds: float, job: Callable[[], object]) -> None:
        self.name = name
        self._every = every_seconds
        self._job = job
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=STOP_TIMEOUT_SECONDS)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._job()
            except Exception:  # one failed pass must not end the loop; the next one retries
                log.exception("periodic_job_failed", job=self.name)
            self._stop.wait(self._every)
