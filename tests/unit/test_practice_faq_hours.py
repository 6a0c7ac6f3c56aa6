"""Opening hours as a client asks about them: the week in words, open now or not, and when
it next opens or closes, on frozen clocks across a weekend, a closing time and DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.scheduling.hours import parse_business_hours
from assistant.scheduling.opening_hours import DayGroup, open_state, week_groups
from assistant.wording.faq_hours import cancellation_policy_answer, hours_answer, open_now_answer, week_sentence

NY = ZoneInfo("America/New_York")
WEEKDAYS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
LAKESIDE = parse_business_hours({**WEEKDAYS, "sat": [["09:00", "12:00"]]}, "America/New_York")


def ny(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


def test_the_week_is_grouped_the_way_a_receptionist_says_it() -> None:
    assert week_groups(LAKESIDE) == [
        DayGroup(0, 4, ((540, 1020),)),
        DayGroup(5, 5, ((540, 720),)),
        DayGroup(6, 6, ()),
    ]
    assert week_sentence(week_groups(LAKESIDE)) == (
        "Monday to Friday 9 AM to 5 PM, Saturday 9 AM to noon, closed Sunday"
    )


def test_split_days_and_a_lunch_break_are_said_in_full() -> None:
    hours = parse_business_hours(
        {"mon": [["08:30", "12:00"], ["13:00", "18:00"]], "wed": [["10:00", "14:00"]]}, "America/New_York"
    )
    assert week_sentence(week_groups(hours)) == (
        "Monday 8:30 AM to noon and 1 PM to 6 PM, closed Tuesday, Wednesday 10 AM to 2 PM, closed Thursday to Sunday"
    )


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Friday before closing: open, until 5 PM today.
        (ny(2026, 11, 27, 16, 59), "Yes, we're open right now, until 5:00 PM ET today."),
        # Friday at closing time exactly: closed, open again Saturday morning.
        (ny(2026, 11, 27, 17, 0), "No, we're closed right now. We open again Sat Nov 28, 9:00 AM ET."),
        # Saturday after the short morning: closed over Sunday until Monday.
        (ny(2026, 11, 28, 12, 30), "No, we're closed right now. We open again Mon Nov 30, 9:00 AM ET."),
        (ny(2026, 11, 29, 11, 0), "No, we're closed right now. We open again Mon Nov 30, 9:00 AM ET."),
        # Monday before opening: later today.
        (ny(2026, 11, 30, 7, 45), "No, we're closed right now. We open again 9:00 AM ET today."),
        (ny(2026, 11, 28, 9, 0), "Yes, we're open right now, until 12:00 PM ET today."),
    ],
)
def test_open_now_across_a_weekend_and_closing_time(moment: dt.datetime, expected: str) -> None:
    said = open_now_answer(open_state(LAKESIDE, moment), NY, moment)
    assert said.startswith(expected)
    assert ("leave a message" in said) == said.startswith("No")


def test_the_opening_after_a_dst_change_is_in_the_new_offset() -> None:
    # Saturday Mar 7 2026 after noon: DST starts Sunday; Monday 9 AM is EDT (13:00 UTC).
    moment = ny(2026, 3, 7, 13, 0)
    state = open_state(LAKESIDE, moment)
    assert state.opens_at == dt.datetime(2026, 3, 9, 13, 0, tzinfo=dt.UTC)
    assert "Mon Mar 9, 9:00 AM ET" in open_now_answer(state, NY, moment)


def test_touching_intervals_are_one_stretch_across_midnight() -> None:
    hours = parse_business_hours({"fri": [["18:00", "24:00"]], "sat": [["00:00", "02:00"]]}, "America/New_York")
    state = open_state(hours, ny(2026, 11, 27, 23, 0))
    assert state.open_now and state.closes_at == ny(2026, 11, 28, 2, 0).astimezone(dt.UTC)


def test_hours_answer_says_the_week_the_zone_and_now() -> None:
    moment = ny(2026, 11, 27, 18, 0)  # Friday evening
    said = hours_answer(week_groups(LAKESIDE), open_state(LAKESIDE, moment), NY, moment)
    assert said == (
        "Our front desk hours are Monday to Friday 9 AM to 5 PM, Saturday 9 AM to noon, closed Sunday (ET). "
        "We're closed right now and open again Sat Nov 28, 9:00 AM ET."
    )


@pytest.mark.parametrize(
    ("window", "fee", "expected"),
    [
        (
            24,
            7500,
            "We ask for 24 hours' notice to cancel or reschedule a session. Cancelling with less notice "
            "carries a $75.00 late-cancellation fee.",
        ),
        (48, 0, "We ask for 48 hours' notice to cancel or reschedule a session. There's no late fee"),
        (1, 2000, "We ask for 1 hour's notice"),
        (0, 5000, "You can cancel or reschedule at no charge."),
    ],
)
def test_the_cancellation_policy_comes_from_the_settings(window: int, fee: int, expected: str) -> None:
    assert cancellation_policy_answer(window, fee).startswith(expected)
