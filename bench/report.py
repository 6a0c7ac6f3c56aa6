"""The bench's tables: percentiles of latency samples, one row per measurement."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

NAME_WIDTH = 50


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted samples (p99 of 20 samples is their maximum)."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Row:
    name: str
    samples: Sequence[float]  # milliseconds
    concurrency: int | None = None  # None: measured in process, one at a time
    wall_seconds: float | None = None  # the run's duration, for the rate column
    note: str = ""


def header() -> str:
    return (
        f"{'':<{NAME_WIDTH}} {'conc':>4} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'max ms':>9}"
        f" {'per s':>7}  note"
    )


def line(row: Row) -> str:
    concurrency = "-" if row.concurrency is None else str(row.concurrency)
    if not row.samples:
        return f"{row.name:<{NAME_WIDTH}} {concurrency:>4} {0:>5} {'no samples':>39}{'':>8}  {row.note}".rstrip()
    ordered = sorted(row.samples)
    rate = f"{len(ordered) / row.wall_seconds:7.1f}" if row.wall_seconds else f"{'':>7}"
    figures = " ".join(f"{value:9.1f}" for value in (percentile(ordered, q) for q in (0.50, 0.95, 0.99, 1.0)))
    return f"{row.name:<{NAME_WIDTH}} {concurrency:>4} {len(ordered):>5} {figures} {rate}  {row.note}".rstrip()


def print_table(title: str, rows: Sequence[Row]) -> None:
    print(f"\n{title}")
    print(header())
    for row in rows:
        print(line(row), flush=True)
