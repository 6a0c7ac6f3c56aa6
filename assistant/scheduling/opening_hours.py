"""Opening hours as a client asks about them: "when are you open?" and "are you open now?".

Pure functions over `hours.BusinessHours` (the practice's business hours, in its timezone):
the week grouped the way a receptionist says it (Monday to Friday alike, Saturday shorter,
Sunday closed), and whether the front desk is open at a moment, until when, or when it
opens next.  The sentences are the catalog's (assistant/wording/faq_hours.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assistant.scheduling.hours import BusinessHours, is_open, next_opening

Intervals = tuple[tuple[int, int], ...]  # minutes after local midnight, as BusinessHours keeps them
# Open stretches longer than this are said as "open around the clock" rather than followed.
_LONGEST_STRETCH_DAYS = 8


@dataclass(frozen=True)
class DayGroup:
    """Consecutive weekdays (Monday = 0) with the same hours; empty `intervals` is closed."""

    first: int
    last: int
    intervals: Intervals


@dataclass(frozen=True)
class OpenState:
    """Open now, and until when (None: no end in sight); or closed, and when it opens next
    (None: not within the hours module's horizon)."""

    open_now: bool
    closes_at: dt.datetime | None
    opens_at: dt.datetime | None


def week_groups(hours: BusinessHours) -> list[DayGroup]:
    """Monday to Sunday, runs of days with identical hours merged: [Mon-Fri 9-5, Sat 9-12, Sun closed]."""
    groups: list[DayGroup] = []
    for day, intervals in enumerate(hours.weekly):
        if groups and groups[-1].intervals == intervals:
            groups[-1] = DayGroup(groups[-1].first, day, intervals)
        else:
            groups.append(DayGroup(day, day, intervals))
    return groups


def open_state(hours: BusinessHours, at: dt.datetime) -> OpenState:
    """Whether the front desk is open at `at`, until when, or when it next opens."""
    if not is_open(hours, at):
        return OpenState(open_now=False, closes_at=None, opens_at=next_opening(hours, at))
    return OpenState(open_now=True, closes_at=_closing_after(hours, at), opens_at=None)


def _closing_after(hours: BusinessHours, at: dt.datetime) -> dt.datetime | None:
    """The end of the open stretch `at` is in; intervals that touch (a 24:00 end and a 00:00
    start the next day) are one stretch, as a client would see it."""
    if hours.always_open:
        return None
    local_day = at.astimezone(hours.zone).date()
    end = at
    for offset in range(-1, _LONGEST_STRETCH_DAYS):
        for start, stop in hours.intervals_on(local_day + dt.timedelta(days=offset)):
            if start <= end < stop:
                end = stop
    return end if end != at else None
