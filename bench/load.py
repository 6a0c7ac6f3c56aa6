"""Running one kind of client N times at once (threads), each recording its own timings."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Recorder:
    """One worker's samples (milliseconds, by metric) and event counts."""

    samples: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, metric: str, started: float) -> float:
        """Record the time since `started` (a perf_counter reading); returns it in ms."""
        elapsed = (time.perf_counter() - started) * 1000
        self.samples[metric].append(elapsed)
        return elapsed

    @contextmanager
    def timing(self, metric: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.add(metric, started)

    def merge(self, other: Recorder) -> None:
        for metric, values in other.samples.items():
            self.samples[metric].extend(values)
        self.counts.update(other.counts)


@dataclass
class Run:
    concurrency: int
    wall_seconds: float
    recorded: Recorder


Worker = Callable[[int, Recorder], None]


def run_concurrently(concurrency: int, worker: Worker) -> Run:
    """Start `concurrency` workers together (worker(index, recorder)) and wait for all.

    A worker that fails fails the run: figures from a half-broken run would mislead."""
    recorders = [Recorder() for _ in range(concurrency)]
    failures: list[BaseException] = []
    start_together = threading.Barrier(concurrency)

    def target(index: int) -> None:
        start_together.wait()
        try:
            worker(index, recorders[index])
        except BaseException as error:  # reported below, on the main thread
            failures.append(error)

    threads = [threading.Thread(target=target, args=(index,), name=f"bench-{index}") for index in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall_seconds = time.perf_counter() - started
    if failures:
        raise failures[0]
    merged = Recorder()
    for recorder in recorders:
        merged.merge(recorder)
    return Run(concurrency, wall_seconds, merged)
