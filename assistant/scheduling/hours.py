"""Business hours, said honestly: when is a person at the front desk, and so when
will a handed-off client hear back?

Pure functions over the practice's settings: `business_hours` as stored on the
practice (`{"mon": [["09:00", "17:00"]], ...}`, local time, "24:00" allowed as an
end), its IANA timezone and its response window in minutes.  The window counts
*staffed* minutes only: a message at 4:45 PM with a 60-minute window and a 5 PM
close is due 45 minutes after opening the next day.

A practice with no hours at all is treated as always staffed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from assistant.wording import formats

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


def _open_segments(hours: BusinessHours, start: dt.datetime):
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


@dataclass(frozen=True)
class Promise:
    """What we may honestly tell a client who is waiting for a person."""

    open_now: bool
    due: dt.datetime | None  # when a person will have replied (UTC), None if unknown
    opens_at: dt.datetime | None  # next opening when closed now
    window_minutes: int
    zone: ZoneInfo


def promise(hours: BusinessHours, now: dt.datetime, window_minutes: int, since: dt.datetime | None = None) -> Promise:
    """The promise for a hand-off made at `since` (default: now), as seen at `now`."""
    now = _require_aware(now)
    since = _require_aware(since) if since is not None else now
    return Promise(
        open_now=is_open(hours, now),
        due=add_staffed_minutes(hours, since, window_minutes),
        opens_at=next_opening(hours, now),
        window_minutes=window_minutes,
        zone=hours.zone,
    )


def format_duration(minutes: int) -> str:
    """60 -> 'an hour', 30 -> '30 minutes', 90 -> '1 hour 30 minutes', 120 -> '2 hours'."""
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return "a minute" if rest == 1 else f"{rest} minutes"
    hour_text = "an hour" if hours == 1 and rest == 0 else f"{hours} hour{'s' if hours > 1 else ''}"
    return hour_text if rest == 0 else f"{hour_text} {rest} minute{'s' if rest > 1 else ''}"


def format_moment(moment: dt.datetime, zone: ZoneInfo, now: dt.datetime | None = None) -> str:
    """'Mon Nov 30, 10:00 AM EST' in the practice's timezone; '4:30 PM EST today' when it is."""
    local = moment.astimezone(zone)
    clock = formats.clock_with_zone(local, zone)
    if now is not None and now.astimezone(zone).date() == local.date():
        return f"{clock} today"
    return f"{formats.short_date(local.date())}, {clock}"


PERSON_WILL_REPLY = "a person will reply right here"


def promise_clause(p: Promise, now: dt.datetime) -> str:
    """The `{promise}` of a hand-off reply (assistant/wording): when a person will answer."""
    if p.due is None:
        return "we're closed right now, so a person will reply right here as soon as we reopen"
    when = format_moment(p.due, p.zone, now)
    if not p.open_now:
        return f"we're closed right now, so a person will reply right here by {when}"
    if p.due - _require_aware(now) <= dt.timedelta(minutes=p.window_minutes):
        return f"{PERSON_WILL_REPLY} within about {format_duration(p.window_minutes)}"
    return f"{PERSON_WILL_REPLY} by {when}"  # we close before the window ends


def waiting_text(p: Promise, now: dt.datetime) -> str:
    """What a client who writes again while waiting for a person is told."""
    now = _require_aware(now)
    if p.due is not None and p.due <= now:
        return "Sorry for the wait: your message is with our team and a person will reply here as soon as possible."
    if p.due is None:
        return (
            "Thanks, your message is with our team. We're closed right now; a person "
            "will reply here as soon as we reopen."
        )
    when = format_moment(p.due, p.zone, now)
    if not p.open_now:
        return f"Thanks, your message is with our team. We're closed right now; a person will reply here by {when}."
    return f"Thanks, your message is with our team and a person will reply here by {when}."
