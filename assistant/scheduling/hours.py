"""Business hours, said honestly: when is a person at the front desk, and so when
will a handed-off client hear back?

Pure functions over the practice's settings: `business_hours` as stored on the
practice (`{"mon": [["09:00", "17:00"]], ...}`, local time, "24:00" allowed as an
end), its IANA timezone and its response window in minutes.  The window counts
*staffed* minutes only: a message at 4:45 PM with a 60-minute window and a 5 PM
close is due 45 minutes after opening the next day.

A practice with no hours at all is treated as always staffed.

Structure only: `promise()` says which honest promise applies (a `PromiseKind`) and
when; the sentences are the catalog's (assistant/wording/promises.py renders them).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_MINUTES = 24 * 60
# How far ahead to look for the next staffed minute; beyond that we promise nothing specific.
_HORIZON_DAYS = 21


class HoursError(ValueError):
    """Business hours that cannot be understood (shown to the admin who entered them)."""


@dataclass(frozen=True)
class BusinessHours:
    """Weekly open intervals in minutes after local midnight (Monday = 0), in one timezone."""

    weekly: tuple[tuple[tuple[int, int], ...], ...]  # 7 entries
    zone: ZoneInfo

    @property
    def always_open(self) -> bool:
        return not any(self.weekly)

    def intervals_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's open intervals as aware UTC datetimes."""
        result = []
        for start, end in self.weekly[day.weekday()]:
            result.append((_at(day, start, self.zone), _at(day, end, self.zone)))
        return result


def _at(day: dt.date, minutes: int, zone: ZoneInfo) -> dt.datetime:
    if minutes >= _DAY_MINUTES:
        day, minutes = day + dt.timedelta(days=1), minutes - _DAY_MINUTES
    local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(dt.UTC)


# ASCII digits only: str.isdigit() also accepts "¹²", which int() then refuses (and int()
# would read other scripts' digits, "١٢", that no admin means as a time).
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def clock_minutes(text: Any, *, allow_24: bool) -> int:
    """Minutes after midnight ("09:30" -> 570; "24:00" -> 1440 only as an end).

    The one parser of HH:MM times: stored hours and the admin API's `ClockTime` both use it."""
    match = _CLOCK.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise HoursError(f"{text!r} is not a time like 09:00")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if allow_24 and (hours, minutes) == (24, 0):
        return _DAY_MINUTES
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise HoursError(f"{text!r} is not a time of day")
    return hours * 60 + minutes


def parse_business_hours(raw: Mapping[str, Any] | None, timezone: str) -> BusinessHours:
    """Validate and normalise stored hours; raises HoursError with a readable reason."""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError) as error:
        raise HoursError(f"unknown timezone {timezone!r}") from error
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise HoursError("business hours must map days (mon..sun) to lists of [start, end]")
    unknown = set(raw) - set(DAYS)
    if unknown:
        raise HoursError(f"unknown day(s): {', '.join(sorted(map(str, unknown)))}; use mon..sun")
    weekly: list[tuple[tuple[int, int], ...]] = []
    for day in DAYS:
        entries = raw.get(day) or []
        if not isinstance(entries, list):
            raise HoursError(f"{day}: expected a list of [start, end] pairs")
        intervals = []
        for entry in entries:
            if not isinstance(entry, (list, tuple)) or len(entry) != 2:
                raise HoursError(f"{day}: {entry!r} is not a [start, end] pair")
            start, end = clock_minutes(entry[0], allow_24=False), clock_minutes(entry[1], allow_24=True)
            if start >= end:
                raise HoursError(f"{day}: {entry[0]}-{entry[1]} ends before it starts")
            intervals.append((start, end))
        intervals.sort()
        for (_, previous_end), (next_start, _) in itertools.pairwise(intervals):
            if next_start < previous_end:
                raise HoursError(f"{day}: intervals overlap")
        weekly.append(tuple(intervals))
    return BusinessHours(tuple(weekly), zone)


def _require_aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(dt.UTC)


def is_open(hours: BusinessHours, at: dt.datetime) -> bool:
    at = _require_aware(at)
    if hours.always_open:
        return True
    local_day = at.astimezone(hours.zone).date()
    for day in (local_day - dt.timedelta(days=1), local_day):
        if any(start <= at < end for start, end in hours.intervals_on(day)):
            return True
    return False


def _open_segments(hours: BusinessHours, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Open (start, end) segments from `start` on, clipped to begin no earlier than it."""
    first_day = start.astimezone(hours.zone).date() - dt.timedelta(days=1)
    for offset in range(_HORIZON_DAYS + 1):
        for seg_start, seg_end in hours.intervals_on(first_day + dt.timedelta(days=offset)):
            if seg_end <= start:
                continue
            yield max(seg_start, start), seg_end


def next_opening(hours: BusinessHours, at: dt.datetime) -> dt.datetime | None:
    """`at` itself when open, else the start of the next open interval (None: none soon)."""
    at = _require_aware(at)
    if hours.always_open:
        return at
    return next((seg_start for seg_start, _ in _open_segments(hours, at)), None)


def add_staffed_minutes(hours: BusinessHours, start: dt.datetime, minutes: int) -> dt.datetime | None:
    """The moment `minutes` staffed minutes after `start` (None: not within the horizon)."""
    start = _require_aware(start)
    if hours.always_open:
        return start + dt.timedelta(minutes=minutes)
    remaining = dt.timedelta(minutes=minutes)
    for seg_start, seg_end in _open_segments(hours, start):
        available = seg_end - seg_start
        if remaining <= available:
            return seg_start + remaining
        remaining -= available
    return None


class PromiseKind(StrEnum):
    """Which honest promise applies; the wording (assistant/wording/promises.py) says it."""

    WITHIN_WINDOW = "within_window"  # open, and the window ends before we close
    BY_TIME = "by_time"  # open, but we close first: a person answers by `due`
    CLOSED_UNTIL = "closed_until"  # closed now; a person answers by `due`
    CLOSED_UNKNOWN = "closed_unknown"  # closed, and no staffed time within the horizon
    OVERDUE = "overdue"  # the window has already run out


@dataclass(frozen=True)
class Promise:
    """What we may honestly tell a client who is waiting for a person."""

    kind: PromiseKind
    open_now: bool
    due: dt.datetime | None  # when a person will have replied (UTC), None if unknown
    opens_at: dt.datetime | None  # next opening when closed now
    window_minutes: int
    zone: ZoneInfo


def promise(hours: BusinessHours, now: dt.datetime, window_minutes: int, since: dt.datetime | None = None) -> Promise:
    """The promise for a hand-off made at `since` (default: now), as seen at `now`."""
    now = _require_aware(now)
    since = _require_aware(since) if since is not None else now
    open_now = is_open(hours, now)
    due = add_staffed_minutes(hours, since, window_minutes)
    return Promise(
        kind=_kind(open_now, due, now, window_minutes),
        open_now=open_now,
        due=due,
        opens_at=next_opening(hours, now),
        window_minutes=window_minutes,
        zone=hours.zone,
    )


def _kind(open_now: bool, due: dt.datetime | None, now: dt.datetime, window_minutes: int) -> PromiseKind:
    if due is None:
        return PromiseKind.CLOSED_UNKNOWN
    if due <= now:
        return PromiseKind.OVERDUE
    if not open_now:
        return PromiseKind.CLOSED_UNTIL
    if due - now <= dt.timedelta(minutes=window_minutes):
        return PromiseKind.WITHIN_WINDOW
    return PromiseKind.BY_TIME
