"""Percentiles of a short list already in memory (the per-hand-off waits, which need business
hours and so cannot be ranked in SQL); the same linear interpolation as PostgreSQL's
percentile_cont, so the SQL percentiles elsewhere agree with these."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
