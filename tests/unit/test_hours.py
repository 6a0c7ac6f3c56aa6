"""Business hours and the honest promise of when a person will answer."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.scheduling import hours
from assistant.wording.catalog import text

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
def test_bad_hours_are_refused_with_a_reason(raw) -> None:
    with pytest.raises(hours.HoursError):
        hours.parse_business_hours(raw, "America/New_York")


def test_bad_timezone_is_refused() -> None:
    with pytest.raises(hours.HoursError):
        hours.parse_business_hours({}, "Mars/Olympus")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        hours.is_open(DESK, dt.datetime(2026, 11, 25, 10))


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (1, "a minute"),
        (30, "30 minutes"),
        (60, "an hour"),
        (90, "1 hour 30 minutes"),
        (120, "2 hours"),
        (121, "2 hours 1 minute"),
    ],
)
def test_format_duration(minutes: int, text: str) -> None:
    assert hours.format_duration(minutes) == text


def _reply(now: dt.datetime, window: int = 60, wording: str = "handoff.ack") -> str:
    promise = hours.promise(DESK, now, window)
    return text(wording, promise=hours.promise_clause(promise, now))


def test_in_hours_the_window_is_promised() -> None:
    text = _reply(ny(*WED, 10))
    assert "a person will reply right here within about an hour." in text
    assert "closed" not in text and text.endswith("call or text 988.")


def test_out_of_hours_says_closed_and_when() -> None:
    text = _reply(ny(*WED, 21, 15))
    assert "we're closed right now, so a person will reply right here by Thu Nov 26, 10:00 AM EST" in text
    weekend = _reply(ny(2026, 11, 28, 15))
    assert "closed right now" in weekend and "Mon Nov 30, 10:00 AM EST" in weekend


def test_closing_soon_promises_the_real_time() -> None:
    text = _reply(ny(*WED, 16, 45))
    assert "a person will reply right here by Thu Nov 26, 9:45 AM EST" in text
    assert "closed" not in text


def test_same_day_is_said_as_today() -> None:
    text = _reply(ny(*WED, 7, 0))
    assert "by 10:00 AM EST today" in text


def test_every_hand_off_reply_gets_the_promise_in_its_place() -> None:
    # Was: a reply without the phrase got the promise appended. Hand-off wording now carries
    # a {promise} placeholder (tests/unit/test_wording.py checks every entry has one).
    text = _reply(ny(*WED, 21), wording="handoff.code_locked")
    assert text.startswith(
        "I couldn't confirm that code, so I've asked our front desk team to help; "
        "we're closed right now, so a person will reply right here by Thu Nov 26, "
        "10:00 AM EST. "
    )


def test_waiting_text() -> None:
    since = ny(*WED, 16, 30)
    closed = hours.waiting_text(hours.promise(DESK, ny(*WED, 18), 60, since), ny(*WED, 18))
    assert "We're closed right now" in closed and "Thu Nov 26, 9:30 AM EST" in closed
    soon = hours.waiting_text(hours.promise(DESK, ny(*WED, 16, 40), 60, since), ny(*WED, 16, 40))
    assert "a person will reply here by Thu Nov 26, 9:30 AM EST" in soon
    late = hours.waiting_text(hours.promise(DESK, ny(2026, 11, 26, 11), 60, since), ny(2026, 11, 26, 11))
    assert late.startswith("Sorry for the wait")


def test_never_open_within_the_horizon_promises_reopening_only() -> None:
    never = hours.BusinessHours(weekly=((), (), (), (), (), (), ()), zone=NY)
    assert never.always_open  # no hours at all: treated as always staffed
    closed_for_now = hours.Promise(open_now=False, due=None, opens_at=None, window_minutes=60, zone=NY)
    assert "as soon as we reopen" in hours.promise_clause(closed_for_now, ny(*WED, 10))
