"""Picks in natural words, two requests in one message, questions about how a session is held."""

from __future__ import annotations

import pytest

from assistant.scheduling.parsing import asks_how_we_meet, parse_choice, read_choice, split_requests
from assistant.scheduling.parsing.requests import Request

# As offers show them: time order, two on one Friday.
LABELS = ["Thu Dec 3, 3:00 PM ET", "Fri Dec 4, 10:00 AM ET", "Fri Dec 4, 4:00 PM ET"]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("the first one", 1),
        ("the 3pm one", 1),
        ("3pm on thursday works", 1),
        ("thursday's", 1),
        ("the second", 2),
        ("the later one", 3),
        ("the earlier one", 1),
        ("the later one on friday", 3),
        ("the earlier friday one", 2),
        ("friday at 4", 3),
        ("the morning one", 2),
        ("fri 10am", 2),
    ],
)
def test_natural_picks_read_as_the_matching_option(said: str, expected: int) -> None:
    assert parse_choice(said, 3, LABELS) == expected
    assert read_choice(said, 3, LABELS) == {expected}


@pytest.mark.parametrize(
    ("said", "candidates"),
    [("friday's", {2, 3}), ("the friday one", {2, 3}), ("the afternoon one", {1, 3}), ("dec 4", {2, 3})],
)
def test_an_ambiguous_pick_names_the_options_it_could_mean(said: str, candidates: set[int]) -> None:
    assert read_choice(said, 3, LABELS) == candidates
    assert parse_choice(said, 3, LABELS) is None  # not a pick: ask which


@pytest.mark.parametrize(
    "said", ["none of those work", "the 5pm one", "monday's", "4", "2 or 3", "the later or the earlier", "hmm"]
)
def test_no_pick_when_nothing_offered_is_meant(said: str) -> None:
    assert read_choice(said, 3, LABELS) == frozenset()


def test_relative_words_work_without_labels_too() -> None:
    assert parse_choice("the later one", 2) == 2
    assert parse_choice("the earliest", 3) == 1
    assert parse_choice("last one", 3) == 3


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (
            "cancel thursday and book me next week",
            [Request("cancel", "cancel thursday"), Request("book", "book me next week")],
        ),
        (
            "can you move my tuesday and also send the zoom link",
            [Request("reschedule", "can you move my tuesday"), Request("video_link", "send the zoom link")],
        ),
        (
            "send me the video link, then reschedule my appt to friday",
            [Request("video_link", "send me the video link"), Request("reschedule", "reschedule my appt to friday")],
        ),
        (
            "i'd like to cancel and rebook for next week",
            [Request("cancel", "i'd like to cancel"), Request("book", "rebook for next week")],
        ),
        (
            "Cancel my session. Book me one for next Tuesday please",
            [Request("cancel", "Cancel my session"), Request("book", "Book me one for next Tuesday please")],
        ),
    ],
)
def test_two_requests_come_apart_in_the_order_asked(said: str, expected: list[Request]) -> None:
    assert split_requests(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "actually you know what, just cancel it",
        "cancel it and thanks",
        "can i move my session to friday afternoon and evening",
        "book me in for tuesday and also wednesday if you can",
        "hi, and thanks for the help",
        "move it to 3 and then i'll see you",
        "",
    ],
)
def test_one_request_is_an_ordinary_message(said: str) -> None:
    assert split_requests(said) == []


@pytest.mark.parametrize(
    ("said", "asks"),
    [
        ("is that by video?", True),
        ("will that be in person", True),
        ("is it on zoom", True),
        ("online or in the office?", True),
        ("when is my next session", False),
        ("the 3pm one", False),
    ],
)
def test_questions_about_how_a_session_is_held(said: str, asks: bool) -> None:
    assert asks_how_we_meet(said) is asks
