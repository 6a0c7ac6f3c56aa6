"""The honest promise of when a person will answer, in words: the catalog's `promise.*`,
`waiting.*` and `callback.*` entries, picked by the kind of promise scheduling/hours.py
works out (moved here from test_hours.py with their assertions), and the phone's spoken
call-back promise."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.scheduling import hours
from assistant.services.promises import callback_promise
from assistant.store.models import Practice
from assistant.wording import catalog, promises
from assistant.wording.catalog import text
from assistant.wording.durations import duration
from assistant.wording.moments import spoken_moment

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
LAKESIDE = {**{day: [["09:00", "17:00"]] for day in WEEKDAYS}, "sat": [["09:00", "12:00"]]}
LUNCH_BREAK = {day: [["09:00", "12:00"], ["13:30", "17:00"]] for day in WEEKDAYS}
DESK = hours.parse_business_hours(LAKESIDE, "America/New_York")


def ny(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


# Wednesday 25 November 2026.
WED = (2026, 11, 25)


def test_every_kind_of_promise_can_be_said_every_way() -> None:
    entries = catalog.CATALOGS[catalog.DEFAULT_LANGUAGE]
    for kind in hours.PromiseKind:
        for family in ("promise", "waiting", "callback"):
            assert f"{family}.{kind}" in entries, (family, kind)


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
    assert duration(minutes) == text


def _reply(now: dt.datetime, window: int = 60, wording: str = "handoff.ack") -> str:
    promise = hours.promise(DESK, now, window)
    return text(wording, promise=promises.handoff_promise(promise, now))


def test_in_hours_the_window_is_promised() -> None:
    text = _reply(ny(*WED, 10))
    assert "a person will reply right here within about an hour." in text
    assert "closed" not in text and text.endswith("call or text 988.")


def test_out_of_hours_says_closed_and_when() -> None:
    text = _reply(ny(*WED, 21, 15))
    assert "we're closed right now, so a person will reply right here by Thu Nov 26, 10:00 AM ET" in text
    weekend = _reply(ny(2026, 11, 28, 15))
    assert "closed right now" in weekend and "Mon Nov 30, 10:00 AM ET" in weekend


def test_closing_soon_promises_the_real_time() -> None:
    text = _reply(ny(*WED, 16, 45))
    assert "a person will reply right here by Thu Nov 26, 9:45 AM ET" in text
    assert "closed" not in text


def test_same_day_is_said_as_today() -> None:
    text = _reply(ny(*WED, 7, 0))
    assert "by 10:00 AM ET today" in text


def test_every_hand_off_reply_gets_the_promise_in_its_place() -> None:
    # Was: a reply without the phrase got the promise appended. Hand-off wording now carries
    # a {promise} placeholder (tests/unit/test_wording.py checks every entry has one).
    text = _reply(ny(*WED, 21), wording="handoff.code_locked")
    assert text.startswith(
        "I couldn't confirm that code, so I've asked our front desk team to help; "
        "we're closed right now, so a person will reply right here by Thu Nov 26, "
        "10:00 AM ET. "
    )


def test_waiting_text() -> None:
    since = ny(*WED, 16, 30)
    closed = promises.waiting_text(hours.promise(DESK, ny(*WED, 18), 60, since), ny(*WED, 18))
    assert "We're closed right now" in closed and "Thu Nov 26, 9:30 AM ET" in closed
    soon = promises.waiting_text(hours.promise(DESK, ny(*WED, 16, 40), 60, since), ny(*WED, 16, 40))
    assert "a person will reply here by Thu Nov 26, 9:30 AM ET" in soon
    late = promises.waiting_text(hours.promise(DESK, ny(2026, 11, 26, 11), 60, since), ny(2026, 11, 26, 11))
    assert late.startswith("Sorry for the wait")


def test_never_open_within_the_horizon_promises_reopening_only() -> None:
    never = hours.BusinessHours(weekly=((), (), (), (), (), (), ()), zone=NY)
    assert never.always_open  # no hours at all: treated as always staffed
    closed_for_now = hours.Promise(
        kind=hours.PromiseKind.CLOSED_UNKNOWN, open_now=False, due=None, opens_at=None, window_minutes=60, zone=NY
    )
    assert "as soon as we reopen" in promises.handoff_promise(closed_for_now, ny(*WED, 10))


# --- The phone's call-back promise ----------------------------------------------------------


def _practice(business_hours: dict[str, list[list[str]]] = LAKESIDE, window: int = 60) -> Practice:
    return Practice(business_hours=business_hours, timezone="America/New_York", response_window_minutes=window)


@pytest.mark.parametrize(
    ("now", "practice", "expected"),
    [
        (ny(*WED, 10), _practice(), "a person will call you back within about an hour"),
        (ny(*WED, 10), _practice(window=30), "a person will call you back within about 30 minutes"),
        # Open, but the hour runs into the lunch break: due at 2 PM the same day.
        (ny(*WED, 11, 30), _practice(LUNCH_BREAK), "a person will call you back by 2 PM today, Eastern time"),
        (ny(*WED, 11, 45), _practice(LUNCH_BREAK), "a person will call you back by 2:15 PM today, Eastern time"),
        # Saturday 11:30: we close at noon, so 30 minutes on Monday.
        (ny(2026, 11, 28, 11, 30), _practice(), "a person will call you back by Monday at 9:30 AM, Eastern time"),
        (
            ny(*WED, 7),
            _practice(),
            "we're closed right now, so a person will call you back by 10 AM today, Eastern time",
        ),
        (
            ny(*WED, 7),
            _practice(window=180),
            "we're closed right now, so a person will call you back by noon today, Eastern time",
        ),
        (
            ny(*WED, 21, 15),
            _practice(),
            "we're closed right now, so a person will call you back by 10 AM tomorrow, Eastern time",
        ),
        (
            ny(2026, 11, 28, 15),
            _practice(),
            "we're closed right now, so a person will call you back by Monday at 10 AM, Eastern time",
        ),
        (
            ny(*WED, 10),
            _practice({"mon": [["09:00", "09:05"]]}, window=600),
            "we're closed right now, so a person will call you back as soon as we reopen",
        ),
    ],
)
def test_the_call_back_promise_is_said_for_the_ear(now: dt.datetime, practice: Practice, expected: str) -> None:
    said = callback_promise(practice, now)
    assert said == expected
    assert "EST" not in said and " ET" not in said and ":00" not in said


def test_an_overdue_call_back_promises_no_time() -> None:
    promise = hours.promise(DESK, ny(2026, 11, 26, 11), 60, since=ny(*WED, 16, 30))
    assert promises.callback_promise(promise, ny(2026, 11, 26, 11)) == "a person will call you back as soon as possible"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (ny(*WED, 16, 30), "4:30 PM today, Eastern time"),
        (ny(*WED, 12), "noon today, Eastern time"),
        (ny(2026, 11, 26, 0, 5), "12:05 AM tomorrow, Eastern time"),  # the next local day, though under 24 hours away
        (ny(2026, 11, 30, 10), "Monday at 10 AM, Eastern time"),
        (ny(2026, 12, 1, 15), "Tuesday at 3 PM, Eastern time"),  # six days ahead: the weekday alone is clear
        (ny(2026, 12, 2, 15), "Wednesday, December 2 at 3 PM, Eastern time"),  # a week ahead: same weekday as today
        (
            dt.datetime(2026, 11, 26, 2, 30, 41, tzinfo=UTC),
            "9:30 PM today, Eastern time",
        ),  # said in the practice's zone
    ],
)
def test_spoken_moment(moment: dt.datetime, expected: str) -> None:
    assert spoken_moment(moment, NY, now=ny(*WED, 8)) == expected
