"""The side-by-side table: each path through the stack in one row, every concurrency level
in columns (turns per second, p50 and p99), then the ratios and the targets beside them.

Pure arithmetic and formatting on recorded runs, so the unit tests can check it; nothing
here measures or asserts a timing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bench.load import Run
from bench.report import percentile

LABEL_WIDTH = 40
CELL_WIDTH = 22  # "  34.5  123.4  1234.5" per level


@dataclass(frozen=True)
class Figures:
    turns_per_second: float
    p50_ms: float
    p99_ms: float
    samples: int


def figures(samples: Sequence[float], wall_seconds: float) -> Figures | None:
    """Throughput (samples completed per second of the run) and nearest-rank p50 / p99."""
    if not samples or wall_seconds <= 0:
        return None
    ordered = sorted(samples)
    return Figures(len(ordered) / wall_seconds, percentile(ordered, 0.50), percentile(ordered, 0.99), len(ordered))


@dataclass
class Measured:
    """One measured path (e.g. "web chat turn"), by concurrency level."""

    label: str
    by_level: dict[int, Figures | None] = field(default_factory=dict)

    def record(self, run: Run, metric: str) -> None:
        self.by_level[run.concurrency] = figures(run.recorded.samples.get(metric, []), run.wall_seconds)

    def at(self, level: int) -> Figures | None:
        return self.by_level.get(level)


@dataclass(frozen=True)
class Target:
    """A figure to aim at, printed beside the table with whether this run met it."""

    wording: str  # e.g. "SMS ack p99 <= 50 ms at 16 concurrent"
    value: float | None  # the figure this run measured (None: not measured)
    limit: float
    at_most: bool  # True: value <= limit is met; False: value >= limit is met

    def line(self, unit: str = "") -> str:
        if self.value is None:
            return f"  {self.wording}: not measured"
        met = self.value <= self.limit if self.at_most else self.value >= self.limit
        return f"  {self.wording}: {self.value:.2f}{unit} ({'met' if met else 'missed'})"


def header(levels: Sequence[int]) -> list[str]:
    top = f"{'':<{LABEL_WIDTH}}" + "".join(f"{f'{level} at once':>{CELL_WIDTH}}" for level in levels)
    sub = f"{'':<{LABEL_WIDTH}}" + "".join(f"{'turns/s':>8}{'p50 ms':>7}{'p99 ms':>7}" for _ in levels)
    return [top, sub]


def cell(found: Figures | None) -> str:
    if found is None:
        return f"{'-':>{CELL_WIDTH}}"
    return f"{found.turns_per_second:8.1f}{found.p50_ms:7.0f}{found.p99_ms:7.0f}"


def row(path: Measured, levels: Sequence[int]) -> str:
    return f"{path.label:<{LABEL_WIDTH}}" + "".join(cell(path.at(level)) for level in levels)


def throughput_ratio(numerator: Measured, denominator: Measured, level: int) -> float | None:
    top, bottom = numerator.at(level), denominator.at(level)
    if top is None or bottom is None or bottom.turns_per_second == 0:
        return None
    return top.turns_per_second / bottom.turns_per_second


def ratio_row(label: str, numerator: Measured, denominator: Measured, levels: Sequence[int]) -> str:
    cells = []
    for level in levels:
        ratio = throughput_ratio(numerator, denominator, level)
        cells.append(f"{'-' if ratio is None else f'{ratio:.2f}x':>{CELL_WIDTH}}")
    return f"{label:<{LABEL_WIDTH}}" + "".join(cells)


def table(
    title: str, paths: Sequence[Measured], ratios: Mapping[str, tuple[Measured, Measured]], levels: Sequence[int]
) -> str:
    lines = [f"\n{title}", *header(levels), *(row(path, levels) for path in paths)]
    if ratios:
        lines.append(f"{'throughput ratios':<{LABEL_WIDTH}}")
        lines.extend(ratio_row(label, top, bottom, levels) for label, (top, bottom) in ratios.items())
    return "\n".join(lines)
