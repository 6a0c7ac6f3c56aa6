"""Open session times from a clinician's calendar: pure functions, no database.

Weekly windows and exceptions are in the practice's local wall-clock time;
busy intervals, `now` and the returned slot starts are tz-aware UTC instants.
Sessions start on the hour, so a 09:00-17:00 window with 50-minute sessions
offers 09:00, 10:00, ... 16:00.  Local times are turned into instants with
zoneinfo on each date, so a 09:00 slot in New York is 13:00Z in summer and
14:00Z in winter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from zoneinfo import ZoneInfo

from assistant.scheduling.preferences import SlotPreference

# Modalities as plain values (the store's Modality and AvailabilityModality are str enums
# with these values, so either may be passed): this module stays free of the store.
IN_PERSON, TELEHEALTH, EITHER = "in_person", "telehealth", "either"
SESSION_MODALITIES = frozenset({IN_PERSON, TELEHEALTH})
WINDOW_MODALITIES = SESSION_MODALITIES | {EITHER}

UTC = dt.UTC
DEFAULT_MIN_LEAD = dt.timedelta(hours=2)
DEFAULT_LIMIT = 3


@dataclass(frozen=True)
class WeeklyWindow:
    """A recurring stretch of local time on one weekday (Monday = 0)."""

    weekday: int
    start: dt.time
    end: dt.time
    modality: str = EITHER

    def offers(self, wanted: str | None) -> bool:
        """A telehealth-only window is never offered in person; "either" fits both."""
        offered = _plain(self.modality, WINDOW_MODALITIES)
        if wanted is None or offered == EITHER:
            return True
        return offered == _plain(wanted, SESSION_MODALITIES)


def _plain(modality: str, allowed: frozenset[str]) -> str:
    value = str(modality.value) if isinstance(modality, Enum) else modality
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {sorted(allowed)}")
    return value


@dataclass(frozen=True)
class DateException:
    """Time off on one local date: the whole day, or only [start, end)."""

    on_date: dt.date
    start: dt.time | None = None
    end: dt.time | None = None

    @property
    def whole_day(self) -> bool:
        return self.start is None and self.end is None


@dataclass(frozen=True)
class BusyInterval:
    """An already-booked stretch, as UTC instants."""

    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class ClinicianCalendar:
    """Everything about one clinician's time that the slot search needs."""

    timezone: str
    windows: tuple[WeeklyWindow, ...]
    exceptions: tuple[DateException, ...] = ()
    busy: tuple[BusyInterval, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def require_aware(name: str, value: dt.datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def open_slots(
    calendar: ClinicianCalendar,
    *,
    session_minutes: int,
    search_from: dt.datetime,
    search_until: dt.datetime,
    now: dt.datetime,
    min_lead: dt.timedelta = DEFAULT_MIN_LEAD,
    preference: SlotPreference | None = None,
    modality: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[dt.datetime]:
    """Up to `limit` open slot starts (UTC) in [search_from, search_until), earliest first."""
    for name, value in (("search_from", search_from), ("search_until", search_until), ("now", now)):
        require_aware(name, value)
    if session_minutes <= 0:
        raise ValueError("session_minutes must be positive")
    if limit <= 0:
        return []
    length = dt.timedelta(minutes=session_minutes)
    earliest = max(search_from, now + min_lead)
    zone = calendar.zone
    found: list[dt.datetime] = []
    for day in _local_dates(earliest, search_until, zone):
        for start in _starts_on(day, calendar, length, modality, zone):
            if not (earliest <= start < search_until):
                continue
            if preference is not None and not preference.accepts(start.astimezone(zone)):
                continue
            found.append(start)
            if len(found) == limit:
                return found
    return found


def is_open_slot(
    calendar: ClinicianCalendar,
    start: dt.datetime,
    *,
    session_minutes: int,
    now: dt.datetime,
    min_lead: dt.timedelta = DEFAULT_MIN_LEAD,
    modality: str | None = None,
) -> bool:
    """Whether exactly this start would be offered (the check before booking it)."""
    require_aware("start", start)
    start = start.astimezone(UTC)
    offered = open_slots(
        calendar,
        session_minutes=session_minutes,
        search_from=start,
        search_until=start + dt.timedelta(seconds=1),
        now=now,
        min_lead=min_lead,
        modality=modality,
        limit=1,
    )
    return offered == [start]


def _local_dates(first: dt.datetime, last: dt.datetime, zone: ZoneInfo) -> Iterator[dt.date]:
    day, final = first.astimezone(zone).date(), last.astimezone(zone).date()
    while day <= final:
        yield day
        day += dt.timedelta(days=1)


def _starts_on(
    day: dt.date, calendar: ClinicianCalendar, length: dt.timedelta, modality: str | None, zone: ZoneInfo
) -> list[dt.datetime]:
    """Open on-the-hour starts (UTC) on one local date, sorted."""
    exceptions = [exception for exception in calendar.exceptions if exception.on_date == day]
    if any(exception.whole_day for exception in exceptions):
        return []
    blocked = [_exception_interval(day, exception, zone) for exception in exceptions]
    blocked += [(busy.start, busy.end) for busy in calendar.busy]
    starts: set[dt.datetime] = set()
    for window in calendar.windows:
        if window.weekday != day.weekday() or not window.offers(modality):
            continue
        window_start = _instant(day, window.start, zone)
        window_end = _instant(day, window.end, zone)
        for start in _hourly_instants(day, zone):
            end = start + length
            if window_start <= start and end <= window_end and not _overlaps(start, end, blocked):
                starts.add(start)
    return sorted(starts)


def _hourly_instants(day: dt.date, zone: ZoneInfo) -> Iterator[dt.datetime]:
    """Every :00 wall-clock time that really exists on this date, as UTC."""
    for hour in range(24):
        wall = dt.datetime.combine(day, dt.time(hour), tzinfo=zone)
        instant = wall.astimezone(UTC)
        # Spring-forward skips an hour (02:00 in New York); such a wall time
        # does not round-trip and no session can start then.
        if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
            yield instant


def _instant(day: dt.date, moment: dt.time, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def _exception_interval(day: dt.date, exception: DateException, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    # A missing bound means "from the start" / "to the end" of that day.
    start = _instant(day, exception.start or dt.time.min, zone)
    end = (
        _instant(day, exception.end, zone)
        if exception.end is not None
        else _instant(day + dt.timedelta(days=1), dt.time.min, zone)
    )
    return start, end


def _overlaps(start: dt.datetime, end: dt.datetime, intervals: Sequence[tuple[dt.datetime, dt.datetime]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in intervals)


def spread_across_days(starts: list[dt.datetime], count: int, tz: ZoneInfo) -> list[dt.datetime]:
    """Pick `count` of the (sorted) starts, one per local day first, so a client is offered
    real alternatives ("Mon 9 AM, Tue 2 PM, Wed 11 AM") rather than three adjacent hours."""
    chosen: list[dt.datetime] = []
    days_taken: set[dt.date] = set()
    for start in starts:
        day = start.astimezone(tz).date()
        if day not in days_taken:
            chosen.append(start)
            days_taken.add(day)
        if len(chosen) == count:
            return chosen
    extra = [start for start in starts if start not in chosen]
    return sorted(chosen + extra[: count - len(chosen)])
