"""The period an insights request looks at: local dates, their UTC bounds, and the buckets
(days, Monday weeks or months) every panel's x axis uses.

The database groups by the practice's local day (sql.day_key); days become weeks here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

Bucket = Literal["day", "week"]
ChannelFilter = Literal["all", "web", "sms", "voice"]
# Beyond a month a day-by-day chart is a comb: weeks read better.
_DAY_BUCKETS_UP_TO = 31
MAX_DAYS = 400


class WindowError(ValueError):
    """A period that cannot be looked at (shown to the caller as a 422)."""


@dataclass(frozen=True)
class InsightsWindow:
    date_from: dt.date  # local, inclusive
    date_to: dt.date  # local, inclusive
    zone: ZoneInfo
    channel: ChannelFilter = "all"

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise WindowError("'from' must not be after 'to'")
        if self.days > MAX_DAYS:
            raise WindowError(f"look at {MAX_DAYS} days at most")

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def bucket(self) -> Bucket:
        return "day" if self.days <= _DAY_BUCKETS_UP_TO else "week"

    @property
    def start(self) -> dt.datetime:
        """UTC instant of local midnight starting `date_from`."""
        return local_midnight(self.date_from, self.zone)

    @property
    def end(self) -> dt.datetime:
        """UTC instant of local midnight after `date_to` (exclusive)."""
        return local_midnight(self.date_to + dt.timedelta(days=1), self.zone)

    def bucket_of_date(self, day: dt.date) -> str:
        if self.bucket == "day":
            return day.isoformat()
        return (day - dt.timedelta(days=day.weekday())).isoformat()

    def bucket_of(self, moment: dt.datetime) -> str:
        return self.bucket_of_date(moment.astimezone(self.zone).date())

    def bucket_of_day(self, day: str) -> str:
        """The bucket of a local day "YYYY-MM-DD" (see sql.day_key)."""
        return day if self.bucket == "day" else self.bucket_of_date(dt.date.fromisoformat(day))

    def buckets(self) -> list[str]:
        """Every x value of the period, in order (buckets with nothing in them included)."""
        seen: dict[str, None] = {}
        day = self.date_from
        while day <= self.date_to:
            seen[self.bucket_of_date(day)] = None
            day += dt.timedelta(days=1)
        return list(seen)

    def months(self) -> list[str]:
        found: dict[str, None] = {}
        day = self.date_from
        while day <= self.date_to:
            found[day.strftime("%Y-%m")] = None
            day += dt.timedelta(days=1)
        return list(found)

    def bucket_end(self, bucket: str) -> dt.datetime:
        """UTC instant at which bucket `bucket` ends (clipped to the period's end)."""
        first = dt.date.fromisoformat(bucket)
        last = first if self.bucket == "day" else first + dt.timedelta(days=6)
        return min(local_midnight(last + dt.timedelta(days=1), self.zone), self.end)

    @property
    def x_label(self) -> str:
        return "Day" if self.bucket == "day" else "Week of"

    def previous(self) -> InsightsWindow:
        """The same number of days just before this period (the weekly summary's comparison)."""
        return InsightsWindow(
            self.date_from - dt.timedelta(days=self.days),
            self.date_from - dt.timedelta(days=1),
            self.zone,
            self.channel,
        )


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def default_window(zone: ZoneInfo, now: dt.datetime, days: int = 30, channel: ChannelFilter = "all") -> InsightsWindow:
    today = now.astimezone(zone).date()
    return InsightsWindow(today - dt.timedelta(days=days - 1), today, zone, channel)
