"""Business hours and the honest promise of when a person will answer."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from assistant.scheduling import hours

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
LAKESIDE = {**{day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}, "sat": [["09:00", "12:00"]]}
DESK = hours.parse_business_hours(LAKESIDE, "America/New_York")


def ny(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


# Wednesday 25 November 2026.
WED = (2026, 11, 25)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (ny(*WED, 8, 59), False),
        (ny(*WED, 9, 0), True),
        (ny(*WED, 16, 59), True),
        (ny(*WED, 17, 0), False),
        (ny(2026, 11, 28, 11, 30), True),  # Saturday morning
        (ny(2026, 11, 28, 12, 0), False),
        (ny(2026, 11, 29, 10, 0), False),  # Sunday
    ],
)
def test_is_open(moment: dt.datetime, expected: bool) -> None:
    assert hours.is_open(DESK, moment) is expected


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (ny(*WED, 10, 0), ny(*WED, 11, 0)),  # plain window
        (ny(*WED, 16, 30), ny(2026, 11, 26, 9, 30)),  # 30 min today, 30 tomorrow
        (ny(*WED, 20, 0), ny(2026, 11, 26, 10, 0)),  # closed: opening + window
        (ny(*WED, 6, 0), ny(*WED, 10, 0)),  # before opening the same day
        (ny(2026, 11, 28, 11, 30), ny(2026, 11, 30, 9, 30)),  # Saturday 11:30 -> Monday
        (ny(2026, 11, 28, 13, 0), ny(2026, 11, 30, 10, 0)),  # Saturday afternoon -> Monday 10
    ],
)
def test_due_counts_staffed_minutes_only(start: dt.datetime, due: dt.datetime) -> None:
    assert hours.add_staffed_minutes(DESK, start, 60) == due.astimezone(UTC)


def test_due_across_the_spring_forward_weekend() -> None:
    # Friday 6 March 2026 16:30 EST; clocks go forward on Sunday 8 March.
    due = hours.add_staffed_minutes(DESK, ny(2026, 3, 6, 16, 30), 60)
    assert due == dt.datetime(2026, 3, 7, 9, 30, tzinfo=NY).astimezone(UTC)  # Saturday morning
    weekdays = hours.parse_business_hours(
        {"fri": [["09:00", "17:00"]], "mon": [["09:00", "17:00"]]}, "America/New_York"
    )
    monday = hours.add_staffed_minutes(weekdays, ny(2026, 3, 6, 16, 30), 60)
    assert monday == dt.datetime(2026, 3, 9, 13, 30, tzinfo=UTC)  # 9:30 EDT


def test_next_opening() -> None:
    assert hours.next_opening(DESK, ny(*WED, 10)) == ny(*WED, 10).astimezone(UTC)
    assert hours.next_opening(DESK, ny(2026, 11, 28, 12, 5)) == ny(2026, 11, 30, 9).astimezone(UTC)


def test_no_hours_means_always_staffed() -> None:
    always = hours.parse_business_hours({}, "America/Chicago")
    start = dt.datetime(2026, 11, 29, 3, tzinfo=UTC)
    assert hours.is_open(always, start)
    assert hours.add_staffed_minutes(always, start, 45) == start + dt.timedelta(minutes=45)


def test_midnight_end_and_split_days() -> None:
    late = hours.parse_business_hours(
        {"fri": [["18:00", "24:00"]], "sat": [["00:00", "02:00"]], "mon": [["12:00", "13:00"], ["09:00", "11:00"]]},
        "UTC",
    )
    friday_night = dt.datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert hours.is_open(late, friday_night)
    assert hours.add_staffed_minutes(late, friday_night, 60) == dt.datetime(2026, 11, 28, 0, 30, tzinfo=UTC)
    assert late.weekly[0] == ((540, 660), (720, 780))  # sorted


@pytest.mark.parametrize(
    "raw",
    [
        {"mon": [["17:00", "09:00"]]},
        {"mon": [["09:00", "09:00"]]},
        {"mon": [["25:00", "26:00"]]},
        {"mon": [["9am", "5pm"]]},
        {"mon": [["09:00"]]},
        {"funday": [["09:00", "17:00"]]},
        {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]},
        {"mon": "09:00-17:00"},
        ["mon"],
        {"mon": [["24:00", "24:00"]]},
    ],
)
def test_bad_hours_are_refused_with_a_reason(raw: Any) -> None:
    with pytest.raises(hours.HoursError):
        hours.parse_business_hours(raw, "America/New_York")


def test_bad_timezone_is_refused() -> None:
    with pytest.raises(hours.HoursError):
        hours.parse_business_hours({}, "Mars/Olympus")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        hours.is_open(DESK, dt.datetime(2026, 11, 25, 10))


@pytest.mark.parametrize(
    ("now", "since", "kind"),
    [
        (ny(*WED, 10), None, hours.PromiseKind.WITHIN_WINDOW),
        (ny(*WED, 16, 45), None, hours.PromiseKind.BY_TIME),  # we close before the hour is up
        (ny(*WED, 21, 15), None, hours.PromiseKind.CLOSED_UNTIL),
        (ny(*WED, 7), None, hours.PromiseKind.CLOSED_UNTIL),  # before opening, same day
        (ny(*WED, 16, 40), ny(*WED, 16, 30), hours.PromiseKind.BY_TIME),
        (ny(2026, 11, 26, 11), ny(*WED, 16, 30), hours.PromiseKind.OVERDUE),  # due Thu 9:30
        (ny(2026, 11, 26, 9, 30), ny(*WED, 16, 30), hours.PromiseKind.OVERDUE),  # due exactly now
    ],
)
def test_the_kind_of_promise(now: dt.datetime, since: dt.datetime | None, kind: hours.PromiseKind) -> None:
    promise = hours.promise(DESK, now, 60, since)
    assert promise.kind is kind
    assert promise.open_now is hours.is_open(DESK, now)


def test_no_staffed_time_within_the_horizon_promises_no_time() -> None:
    sparse = hours.parse_business_hours({"mon": [["09:00", "09:05"]]}, "America/New_York")
    promise = hours.promise(sparse, ny(*WED, 10), 600)  # 10 staffed hours need 120 Mondays
    assert (promise.kind, promise.due) == (hours.PromiseKind.CLOSED_UNKNOWN, None)
    assert promise.opens_at == ny(2026, 11, 30, 9).astimezone(UTC)
