"""Choosing an option, reading dates of birth, and comparing / extracting names."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.scheduling.parsing import (
    normalize_name,
    parse_choice,
    parse_date_of_birth,
    split_identity,
)

LABELS = ["Fri Nov 27, 3:00 PM ET", "Mon Nov 30, 10:00 AM ET", "Tue Dec 1, 5:30 PM ET"]  # as format_slot writes
TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1", 1),
        ("2", 2),
        ("3", 3),
        ("#2", 2),
        ("# 2", 2),
        ("2.", 2),
        ("2)", 2),
        ("3!", 3),
        ("option 2", 2),
        ("option two", 2),
        ("option one", 1),
        ("opt 2", 2),
        ("number two", 2),
        ("number 3", 3),
        ("no. 2", 2),
        ("slot 1", 1),
        ("choice 2", 2),
        ("the second one", 2),
        ("second", 2),
        ("2nd", 2),
        ("the 3rd one please", 3),
        ("first", 1),
        ("the first one", 1),
        ("first one pls", 1),
        ("last", 3),
        ("the last one", 3),
        ("one", 1),
        ("one please", 1),
        ("two pls", 2),
        ("three please", 3),
        ("ill take 3", 3),
        ("i'll take the second", 2),
        ("2 sounds good", 2),
        ("1 i guess", 1),
        ("um 2", 2),
        ("put me in 3", 3),
        ("yes the second one", 2),
        ("option 2 please 🙏", 2),
        ("the earlier one", 1),
        ("the later one", 3),
        ("the middle one", 2),
    ],
)
def test_numbers_and_ordinals(text: str, expected: int) -> None:
    assert parse_choice(text, 3) == expected
    assert parse_choice(text, 3, LABELS) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the 3pm one", 1),
        ("3pm", 1),
        ("3:00", 1),
        ("the 3 pm one", 1),
        ("the 10am one", 2),
        ("the one at 10", 2),
        ("the 5:30 one", 3),
        ("at 5:30", 3),
        ("the friday one", 1),
        ("the monday slot", 2),
        ("tuesday", 3),
        ("the tues one", 3),
        ("the morning one", 2),
        ("the nov 30 one", 2),
    ],
)
def test_matching_against_labels(text: str, expected: int) -> None:
    assert parse_choice(text, 3, LABELS) == expected


@pytest.mark.parametrize(
    "text",
    [
        "4",
        "0",
        "option 7",
        "fifth",  # out of range
        "2 or 3",
        "the first or the second",  # ambiguous
        "the 9am one",
        "the one at 4",  # a time that is not on offer
        "the wednesday one",  # a weekday that is not on offer
        "the 3pm one, option 2",  # the two readings disagree
        "",
        "hmm",
        "which is best?",
    ],
)
def test_unclear_choices(text: str) -> None:
    assert parse_choice(text, 3, LABELS) is None


def test_times_without_labels_are_not_option_numbers() -> None:
    assert parse_choice("the 3pm one", 3) is None
    assert parse_choice("3:00", 3) is None


def test_afternoon_one_needs_a_single_afternoon_option() -> None:
    assert parse_choice("the afternoon one", 3, LABELS) == 1
    assert parse_choice("the evening one", 3, LABELS) == 3
    two_afternoons = ["Fri Nov 27, 1:00 PM ET", "Fri Nov 27, 2:00 PM ET"]
    assert parse_choice("the afternoon one", 2, two_afternoons) is None
    assert parse_choice("the friday one", 2, two_afternoons) is None
    assert parse_choice("the 2pm one", 2, two_afternoons) == 2
    assert parse_choice("the friday one at 2", 2, two_afternoons) == 2
    assert parse_choice("the second friday one", 2, two_afternoons) == 2


def test_middle_needs_an_odd_count() -> None:
    assert parse_choice("the middle one", 2) is None
    assert parse_choice("the middle one", 5) == 3


def test_no_options() -> None:
    assert parse_choice("1", 0) is None


@pytest.mark.parametrize(
    "text",
    [
        "1990-04-12",
        "04/12/1990",
        "4/12/1990",
        "4/12/90",
        "04-12-1990",
        "04.12.1990",
        "April 12 1990",
        "april 12, 1990",
        "April 12th, 1990",
        "12 april 1990",
        "12th of April, 1990",
        "apr 12, 1990",
        "Apr. 12 1990",
        "12-apr-1990",
        "04121990",
        "dob: 04/12/1990",
        "it's 4/12/1990 thanks",
    ],
)
def test_date_of_birth_formats(text: str) -> None:
    assert parse_date_of_birth(text, today=TODAY) == dt.date(1990, 4, 12)


def test_two_digit_years_pivot_on_this_year() -> None:
    assert parse_date_of_birth("4/12/05", today=TODAY) == dt.date(2005, 4, 12)
    assert parse_date_of_birth("4/12/26", today=TODAY) == dt.date(2026, 4, 12)
    assert parse_date_of_birth("4/12/27", today=TODAY) == dt.date(1927, 4, 12)
    assert parse_date_of_birth("4/12/90", today=TODAY) == dt.date(1990, 4, 12)


def test_numeric_dates_are_month_first_unless_only_day_first_works() -> None:
    assert parse_date_of_birth("03/04/1990", today=TODAY) == dt.date(1990, 3, 4)
    assert parse_date_of_birth("25/12/1990", today=TODAY) == dt.date(1990, 12, 25)


@pytest.mark.parametrize(
    "text",
    [
        "02/30/1990",
        "13/45/1990",
        "00/12/1990",
        "2/29/1991",  # impossible
        "4/12/2030",
        "12/25/2026",  # in the future
        "1/1/1850",  # not a living client
        "",
        "hello",
        "april 1990",
        "12/1990",
        "tomorrow",
    ],
)
def test_rejected_dates_of_birth(text: str) -> None:
    assert parse_date_of_birth(text, today=TODAY) is None


def test_leap_day() -> None:
    assert parse_date_of_birth("2/29/1992", today=TODAY) == dt.date(1992, 2, 29)


def test_default_today_rejects_the_future() -> None:
    assert parse_date_of_birth("1/1/2999") is None
    assert parse_date_of_birth("1/1/1990") == dt.date(1990, 1, 1)


@pytest.mark.parametrize(
    "left, right",
    [
        ("jordan  LEE.", "Jordan Lee"),
        (" Jordan Lee ", "jordan lee"),
        ("José García", "jose garcia"),
        ("Zoë O'Neil", "zoe oneil"),
        ("Mary-Jane Smith", "mary jane smith"),
        ("STRASSE", "straße"),
    ],
)
def test_normalize_name(left: str, right: str) -> None:
    assert normalize_name(left) == normalize_name(right)


def test_normalize_name_output() -> None:
    assert normalize_name("  José O'Neil-SMITH. ") == "jose oneil smith"
    assert normalize_name("") == ""


@pytest.mark.parametrize(
    "text, name, born",
    [
        ("Jordan Lee 4/12/1990", "Jordan Lee", dt.date(1990, 4, 12)),
        ("jordan lee, dob april 12 1990", "jordan lee", dt.date(1990, 4, 12)),
        ("my name is Jordan Lee and my birthday is 04/12/1990", "Jordan Lee", dt.date(1990, 4, 12)),
        ("it's jordan lee born 4/12/90", "jordan lee", dt.date(1990, 4, 12)),
        ("I'm Jordan Lee, date of birth 1990-04-12", "Jordan Lee", dt.date(1990, 4, 12)),
        ("Name: Jordan Lee. DOB: 04/12/1990", "Jordan Lee", dt.date(1990, 4, 12)),
        ("dob 4/12/1990 name jordan lee", "jordan lee", dt.date(1990, 4, 12)),
        ("jordan lee born on april 12, 1990 thanks", "jordan lee", dt.date(1990, 4, 12)),
        ("hi im Jordan Lee", "Jordan Lee", None),
        ("Jordan Lee", "Jordan Lee", None),
        ("Jordan Im, 4/12/1990", "Jordan Im", dt.date(1990, 4, 12)),
        ("Jordan O'Neil-Lee 1990-04-12", "Jordan O'Neil-Lee", dt.date(1990, 4, 12)),
        ("Andrea Onofrio", "Andrea Onofrio", None),
        ("4/12/1990", None, dt.date(1990, 4, 12)),
        ("my dob is 4/12/1990", None, dt.date(1990, 4, 12)),
        ("Jordan Lee 4/12/2030", "Jordan Lee", None),
        ("", None, None),
    ],
)
def test_split_identity(text: str, name: str | None, born: dt.date | None) -> None:
    assert split_identity(text, today=TODAY) == (name, born)
