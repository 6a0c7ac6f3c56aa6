"""Reading "friday afternoon", "next week", "after 5" into a SlotPreference."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.scheduling.preferences import SlotPreference, parse_preference

TODAY = dt.date(2026, 11, 25)  # a Wednesday
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
T = dt.time


def parse(text: str) -> SlotPreference:
    return parse_preference(text, TODAY)


@pytest.mark.parametrize(
    "text, weekdays",
    [
        ("friday", {FRI}),
        ("Friday", {FRI}),
        ("fri", {FRI}),
        ("fri.", {FRI}),
        ("fridy", {FRI}),
        ("firday", {FRI}),
        ("fridays", {FRI}),
        ("thurs", {THU}),
        ("thursday", {THU}),
        ("thrusday", {THU}),
        ("tues", {TUE}),
        ("tue", {TUE}),
        ("weds", {WED}),
        ("wed", {WED}),
        ("wendsday", {WED}),
        ("mon", {MON}),
        ("monday", {MON}),
        ("saturday", {SAT}),
        ("sat", {SAT}),
        ("sunday", {SUN}),
        ("mon/wed", {MON, WED}),
        ("fri or mon", {MON, FRI}),
        ("weekend", {SAT, SUN}),
        ("weekends", {SAT, SUN}),
        ("weekdays", {MON, TUE, WED, THU, FRI}),
    ],
)
def test_weekdays(text: str, weekdays: set[int]) -> None:
    preference = parse(text)
    assert preference.weekdays == frozenset(weekdays)
    assert preference.earliest_date is None and preference.latest_date is None
    assert preference.not_before is None and preference.before is None


@pytest.mark.parametrize(
    "text, description",
    [
        ("friday", "Friday"),
        ("fri or mon", "Monday or Friday"),
        ("weekend", "the weekend"),
    ],
)
def test_weekday_descriptions(text: str, description: str) -> None:
    assert parse(text).description == description


def test_tomorrow_and_today() -> None:
    tomorrow = parse("tomorrow")
    assert (tomorrow.earliest_date, tomorrow.latest_date) == (dt.date(2026, 11, 26),) * 2
    assert tomorrow.description == "tomorrow"
    assert parse("tmrw").earliest_date == dt.date(2026, 11, 26)
    today = parse("today")
    assert (today.earliest_date, today.latest_date) == (TODAY, TODAY)
    assert parse("day after tomorrow").earliest_date == dt.date(2026, 11, 27)


def test_next_week_is_monday_to_sunday_of_the_following_week() -> None:
    preference = parse("next week")
    assert preference.earliest_date == dt.date(2026, 11, 30)
    assert preference.latest_date == dt.date(2026, 12, 6)
    assert preference.description == "next week"
    assert not preference.weekdays and preference.not_before is None


def test_this_week_runs_from_today_to_sunday() -> None:
    preference = parse("anything this week?")
    assert (preference.earliest_date, preference.latest_date) == (TODAY, dt.date(2026, 11, 29))
    assert preference.description == "this week"


def test_this_and_next_weekend() -> None:
    this = parse("this weekend")
    assert this.weekdays == {SAT, SUN}
    assert (this.earliest_date, this.latest_date) == (TODAY, dt.date(2026, 11, 29))
    upcoming = parse("next weekend")
    assert (upcoming.earliest_date, upcoming.latest_date) == (dt.date(2026, 12, 5), dt.date(2026, 12, 6))


@pytest.mark.parametrize(
    "text, not_before, before, description",
    [
        ("morning", None, T(12), "morning"),
        ("mornings", None, T(12), "morning"),
        ("in the morning", None, T(12), "morning"),
        ("afternoon", T(12), T(17), "afternoon"),
        ("evening", T(17), None, "evening"),
        ("after work", T(17), None, "after 5 PM"),
        ("after 5", T(17), None, "after 5 PM"),
        ("anything after 5?", T(17), None, "after 5 PM"),
        ("after 5pm", T(17), None, "after 5 PM"),
        ("after 5 pm", T(17), None, "after 5 PM"),
        ("after 4:30", T(16, 30), None, "after 4:30 PM"),
        ("after 4:30pm", T(16, 30), None, "after 4:30 PM"),
        ("after 7am", T(7), None, "after 7 AM"),
        ("after 8", T(8), None, "after 8 AM"),
        ("after 12", T(12), None, "after noon"),
        ("before noon", None, T(12), "before noon"),
        ("before 10", None, T(10), "before 10 AM"),
        ("before 2", None, T(14), "before 2 PM"),
        ("after lunch", T(13), None, "after 1 PM"),
        ("early", None, T(10), "early in the day"),
        ("late", T(17), None, "late in the day"),
        ("between 2 and 4", T(14), T(16), "between 2 PM and 4 PM"),
        ("2-4pm", T(14), T(16), "between 2 PM and 4 PM"),
        ("from 10 to 2", T(10), T(14), "between 10 AM and 2 PM"),
        ("3pm", T(15), T(16), "at 3 PM"),
        ("at 10am", T(10), T(11), "at 10 AM"),
        ("around 4", T(15), T(17), "around 4 PM"),
        ("late afternoon", T(15), T(17), "late afternoon"),
        ("early morning", None, T(10), "early morning"),
    ],
)
def test_times(text: str, not_before: dt.time | None, before: dt.time | None, description: str) -> None:
    preference = parse(text)
    assert (preference.not_before, preference.before) == (not_before, before)
    assert preference.description == description
    assert not preference.weekdays and preference.earliest_date is None


def test_bare_hours_follow_clinic_hours() -> None:
    # Open 8-20: 1-7 are afternoon/evening, 8-11 morning, 12 noon.
    assert parse("after 1").not_before == T(13)
    assert parse("after 7").not_before == T(19)
    assert parse("after 11").not_before == T(11)
    assert parse("after 6 in the morning").not_before == T(6)


def test_tonight_is_today_evening() -> None:
    preference = parse("anything tonight?")
    assert (preference.earliest_date, preference.latest_date) == (TODAY, TODAY)
    assert preference.not_before == T(17)
    assert preference.description == "tonight"


def test_next_friday_afternoon() -> None:
    preference = parse("next friday afternoon")
    assert preference.weekdays == {FRI}
    assert preference.earliest_date == TODAY + dt.timedelta(days=1)
    assert (preference.not_before, preference.before) == (T(12), T(17))
    assert preference.description == "Friday afternoon"


def test_any_tuesday_after_5() -> None:
    preference = parse("any tuesday after 5")
    assert preference.weekdays == {TUE}
    assert preference.not_before == T(17) and preference.before is None
    assert preference.description == "Tuesday after 5 PM"


def test_fri_or_mon_morning() -> None:
    preference = parse("fri or mon morning")
    assert preference.weekdays == {MON, FRI}
    assert preference.before == T(12) and preference.not_before is None
    assert preference.description == "Monday or Friday morning"


def test_friday_afternoon_please() -> None:
    preference = parse("Friday afternoon please")
    assert preference.weekdays == {FRI}
    assert preference.description == "Friday afternoon"


def test_friday_next_week() -> None:
    preference = parse("friday next week")
    assert preference.weekdays == {FRI}
    assert (preference.earliest_date, preference.latest_date) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert preference.description == "Friday next week"


def test_tomorrow_morning() -> None:
    preference = parse("tomorrow morning?")
    assert preference.earliest_date == preference.latest_date == dt.date(2026, 11, 26)
    assert preference.before == T(12)
    assert preference.description == "tomorrow morning"


def test_weeknights_and_weekday_mornings() -> None:
    nights = parse("weeknights")
    assert nights.weekdays == {MON, TUE, WED, THU, FRI} and nights.not_before == T(17)
    assert nights.description == "weekday evenings"
    mornings = parse("weekday mornings")
    assert mornings.before == T(12) and mornings.description == "weekday mornings"


def test_excluded_weekdays() -> None:
    preference = parse("any day but friday")
    assert preference.weekdays == {MON, TUE, WED, THU, SAT, SUN}
    assert preference.description == "any day but Friday"
    assert parse("next week, not monday").weekdays == {TUE, WED, THU, FRI, SAT, SUN}
    assert parse("no mondays").weekdays == {TUE, WED, THU, FRI, SAT, SUN}
    assert parse("can't do friday, how about monday").weekdays == {MON}
    assert parse("fri or mon but not tuesday").weekdays == {MON, FRI}


@pytest.mark.parametrize(
    "text, weekdays",
    [
        ("no, friday is fine", {FRI}),
        ("sorry but friday works better", {FRI}),
        ("the 5th works", set()),
    ],
)
def test_no_false_exclusions(text: str, weekdays: set[int]) -> None:
    assert parse(text).weekdays == frozenset(weekdays)


def test_explicit_bound_narrows_named_part() -> None:
    preference = parse("friday evening after 6")
    assert preference.not_before == T(18)
    assert preference.description == "Friday after 6 PM"
    assert parse("mornings before 10").before == T(10)


def test_calendar_dates() -> None:
    assert parse("nov 30").earliest_date == dt.date(2026, 11, 30)
    assert parse("12/3").latest_date == dt.date(2026, 12, 3)
    assert parse("the 30th").earliest_date == dt.date(2026, 11, 30)
    assert parse("the 2nd").earliest_date == dt.date(2026, 12, 2)  # already past this month
    preference = parse("fri 11/27 afternoon")
    assert preference.description == "Fri Nov 27 afternoon"


def test_accepts_uses_parsed_preference() -> None:
    preference = parse("any tuesday after 5")
    assert preference.accepts(dt.datetime(2026, 12, 1, 17, 30))
    assert not preference.accepts(dt.datetime(2026, 12, 1, 16, 0))
    assert not preference.accepts(dt.datetime(2026, 12, 2, 18, 0))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "reschedule my appointment",
        "can i move my session",
        "yes",
        "asap please",
        "i'm running late",
        "i am free",
        "sorry for the late reply",
        "whenever works",
        "my zoom link isn't working",
        "how much is the late fee",
        "last night was rough",
        "i need 2 sessions",
        "option 2",
        "what's the money situation",
    ],
)
def test_no_time_words_gives_empty_preference(text: str) -> None:
    assert parse(text) == SlotPreference()


@pytest.mark.parametrize(
    "text, description",
    [
        # The appointment the client already has is not the time they want.
        ("is it possible to move my 3pm", ""),
        ("need to move thursday's session", ""),
        ("switch my thurs appt to another day?", ""),
        ("resched my 10am?", ""),
        ("can we reschedule my session from monday to wednesday", "Wednesday"),
        ("can we do friday instead of monday for my session", "Friday"),
        ("instead of tuesday can i come wednesday", "Wednesday"),
        ("move tomorrows appt to next week", "next week"),
        ("can i swap my tuesday session for a thursday", "Thursday"),
        ("move my tuesday session to thursday after 5", "Thursday after 5 PM"),
        ("cant make it tomorrow, can we do friday", "Friday"),
        ("i cant make 4pm anymore but i still want to come this week, can we move it", "this week"),
        ("can you move my session to friday", "Friday"),
    ],
)
def test_current_appointment_is_not_the_preference(text: str, description: str) -> None:
    assert parse(text).description == description


def test_several_dates_are_alternatives() -> None:
    preference = parse("today or tomorrow")
    assert (preference.earliest_date, preference.latest_date) == (TODAY, dt.date(2026, 11, 26))
    assert preference.description == "today or tomorrow"
    assert parse("this week or next week").latest_date == dt.date(2026, 12, 6)
