"""Jobs for one key (a conversation) run one at a time and in order; different keys run
in parallel, so one client writing nonstop never delays anybody else (any channel)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from assistant.logs import get_logger

log = get_logger("conversation.workers")


class KeyedWorkers:
    def __init__(self, max_workers: int, name: str = "inbound") -> None:
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=name)
        self._queues: dict[str, deque[Callable[[], None]]] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)

    def submit(self, key: str, job: Callable[[], None]) -> None:
        with self._lock:
            queue = self._queues.setdefault(key, deque())
            queue.append(job)
            if len(queue) == 1:
                self._pool.submit(self._drain, key)

    def _drain(self, key: str) -> None:
        while True:
            with self._lock:
                job = self._queues[key][0]
            try:
                job()
            except Exception:
                log.exception("inbound_job_failed", conversation=key)
            with self._lock:
                queue = self._queues[key]
                queue.popleft()
                if not queue:
                    del self._queues[key]
                    self._idle.notify_all()
                    return

    def wait_idle(self, timeout: float) -> bool:
        with self._lock:
            return self._idle.wait_for(lambda: not self._queues, timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
