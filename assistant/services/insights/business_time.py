"""Staffed minutes between two moments: how long a client waited in the practice's business
hours (scheduling/hours.py has the opposite, "the moment N staffed minutes after").

Written here rather than in SQL because business hours are per-weekday local intervals with
DST; the callers run it once per hand-off, a bounded number (not per message).
"""

from __future__ import annotations

import datetime as dt

from assistant.scheduling.hours import BusinessHours

# A reply a month late is simply late: stop walking day by day beyond this.
_MAX_DAYS = 62


def staffed_minutes_between(hours: BusinessHours, start: dt.datetime, end: dt.datetime) -> float:
    """Minutes of open time in [start, end); wall-clock minutes when the practice has no hours."""
    if end <= start:
        return 0.0
    if hours.always_open:
        return (end - start).total_seconds() / 60.0
    total = dt.timedelta()
    first = start.astimezone(hours.zone).date() - dt.timedelta(days=1)
    last = min(end.astimezone(hours.zone).date(), first + dt.timedelta(days=_MAX_DAYS))
    day = first
    while day <= last:
        for open_at, close_at in hours.intervals_on(day):
            overlap = min(close_at, end) - max(open_at, start)
            if overlap > dt.timedelta():
                total += overlap
        day += dt.timedelta(days=1)
    return total.total_seconds() / 60.0
