"""Replies written for a screen, said for the ear (wording/voice_render.py): our own time
formats spoken naturally, links left out, choices spoken with their keypad digits."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from assistant.wording import catalog, formats
from assistant.wording.voice_render import ZoneWords, keypad, ordinal, speak, spoken_times, without_links, zone_words
from tests.unit.test_wording import KEYS, SAMPLES

ZONE = ZoneInfo("America/New_York")
EASTERN = ZoneWords("ET", "Eastern time")


@pytest.mark.parametrize(
    ("number", "said"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (30, "30th"),
        (31, "31st"),
    ],
)
def test_ordinals(number: int, said: str) -> None:
    assert ordinal(number) == said


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Fri Dec 11, 12:00 PM", "Friday the 11th at noon"),
        ("Mon Dec 14, 3:30 PM", "Monday the 14th at 3:30 PM"),
        ("Tue Dec 1, 9:00 AM", "Tuesday the 1st at 9 AM"),
        ("Thu Dec 3", "Thursday the 3rd"),
        ("by 10:00 AM ET today", "by 10 AM today"),
    ],
)
def test_our_time_formats_are_spoken_naturally(written: str, said: str) -> None:
    assert spoken_times(written) == said


def test_every_day_and_time_the_formats_module_writes_is_spoken() -> None:
    start = dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.UTC)
    for hours in range(0, 24 * 14, 5):
        written = formats.day_time_and_zone(start + dt.timedelta(hours=hours, minutes=30 * (hours % 2)), ZONE)
        said = spoken_times(written)
        assert re.fullmatch(r"[A-Z][a-z]+day the \d{1,2}(st|nd|rd|th) at (noon|\d{1,2}(:\d\d)? [AP]M)", said), said
        said_with_zone = speak(written, zone=EASTERN).text
        assert said_with_zone == f"{said}, Eastern time", (written, said_with_zone)


def test_numbered_options_become_one_spoken_list_with_their_digits() -> None:
    spoken = speak(
        "Here are the next open times:\n1. Fri Dec 11, 12:00 PM\n2. Mon Dec 14, 3:30 PM\n3. Tue Dec 15, 9:00 AM\n"
        + catalog.text("scheduling.pick")
    )
    assert spoken.text.startswith(
        "Here are the next open times: 1, Friday the 11th at noon; 2, Monday the 14th at 3:30 PM; 3, Tuesday"
    )
    assert "Say or press a number" in spoken.text and "Reply" not in spoken.text
    assert spoken.keypad == {"1": "1", "2": "2", "3": "3"}


def test_yes_or_no_buttons_are_keys_1_and_2() -> None:
    spoken = speak("Move your session?", [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}])
    assert spoken.text == "Move your session? " + catalog.text("voice.choices_yes_no")
    assert spoken.keypad == {"1": "yes", "2": "no"}


def test_other_buttons_are_spoken_choices_whose_digits_send_their_payloads() -> None:
    buttons = [{"title": "Reschedule", "payload": "/reschedule_appointment"}, {"title": "Cancel", "payload": "/cancel"}]
    spoken = speak("What would you like to do?", buttons)
    assert spoken.text.endswith("You can say Reschedule or press 1, or Cancel or press 2.")
    assert keypad(buttons) == spoken.keypad == {"1": "/reschedule_appointment", "2": "/cancel"}


def test_links_are_never_read_out_and_the_note_is_said_instead() -> None:
    reply = catalog.text("video.link", when="Thu Dec 3, 3:00 PM ET", url="https://zoom.us/j/12345678901")
    spoken = speak(reply, link_note=catalog.text("voice.link_texted"))
    assert spoken.had_link and "zoom.us" not in spoken.text and "http" not in spoken.text
    assert spoken.text.startswith("Here's the video link for your session on Thursday the 3rd at 3 PM.")
    assert spoken.text.endswith(catalog.text("voice.link_texted"))
    assert without_links("Sign in here: https://x.example/a?b=c") == "Sign in here."


# Texted only (never said on a call): sms.*, outreach.* and the closing text a practice may send by SMS.
TEXT_ONLY = ("page.", "sms.", "button.", "outreach.", "closure.sms_")


@pytest.mark.parametrize("key", [key for key in KEYS if not key.startswith(TEXT_ONLY)])
def test_every_catalog_entry_can_be_said_on_the_phone(key: str) -> None:
    values = {name: SAMPLES[name] for name in catalog.placeholders(key)}
    if key.startswith("spoken."):
        values["zone"] = EASTERN.said  # spoken.* are given the zone in words (moments.spoken_moment)
    said = speak(catalog.text(key, **values), link_note=catalog.text("voice.link_texted"), zone=EASTERN).text
    assert said
    assert not re.search(r"https?://|www\.|\bReply\b|[*_#`<>]|24/7|\(|\)", said), (key, said)
    assert not re.search(r"\bE\.? ?T\b|\bE[SD]T\b", said), (key, said)  # the zone in words, never its letters
    assert said.count("Eastern time") <= 1, (key, said)
    assert not re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d", said)


def test_today_and_tomorrow_are_said_so() -> None:
    today = dt.date(2026, 12, 10)
    said = spoken_times("1. Thu Dec 10, 2:00 PM\n2. Fri Dec 11, 12:00 PM\n3. Mon Dec 14, 9:00 AM", today)
    assert said == "1. today at 2 PM\n2. tomorrow at noon\n3. Monday the 14th at 9 AM"
    assert spoken_times("Fri Jan 1, 9:00 AM", dt.date(2026, 12, 31)) == "tomorrow at 9 AM"


# --- The practice's zone, said once in words ------------------------------------------------


def test_offered_times_say_the_zone_once_in_words() -> None:
    offer = (
        "Here are the next open times:\n1. Tue Dec 1, 10:00 AM ET\n2. Wed Dec 2, 11:00 AM ET\n"
        "3. Thu Dec 3, 2:30 PM ET\n" + catalog.text("scheduling.pick")
    )
    spoken = speak(offer, today=dt.date(2026, 11, 30), zone=EASTERN)
    assert spoken.text.startswith(
        "Here are the next open times: 1, tomorrow at 10 AM, Eastern time; 2, Wednesday the 2nd at 11 AM; "
        "3, Thursday the 3rd at 2:30 PM. Say or press a number"
    )
    assert spoken.keypad == {"1": "1", "2": "2", "3": "3"}


def test_a_confirmed_time_says_its_zone_in_words_never_its_letters() -> None:
    yes_no = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    question = catalog.text("scheduling.confirm_book", when="Mon Dec 7, 10:00 AM ET", how="by video")
    spoken = speak(question, yes_no, today=dt.date(2026, 11, 30), zone=EASTERN)
    assert spoken.text == "Book Monday the 7th at 10 AM, Eastern time, by video? " + catalog.text(
        "voice.choices_yes_no"
    )
    moved = "Move your session from Tue Dec 1, 10:00 AM ET to Wed Dec 2, 11:00 AM ET?"
    assert speak(moved, zone=EASTERN).text == (
        "Move your session from Tuesday the 1st at 10 AM, Eastern time, to Wednesday the 2nd at 11 AM?"
    )


def test_time_buttons_say_the_zone_once() -> None:
    buttons = [
        {"title": "Tue Dec 1, 10:00 AM ET", "payload": '/choose_option{"option":"1"}'},
        {"title": "Wed Dec 2, 10:00 AM ET", "payload": '/choose_option{"option":"2"}'},
    ]
    spoken = speak("Which one?", buttons, today=dt.date(2026, 11, 30), zone=EASTERN)
    assert spoken.text == (
        "Which one? You can say tomorrow at 10 AM, Eastern time, or press 1, or Wednesday the 2nd at 10 AM or press 2."
    )


def test_a_label_in_brackets_and_a_clock_with_today_are_said_in_words() -> None:
    hours = "Our front desk hours are Monday to Friday 9 AM to 5 PM (ET). We're open now, until 5:00 PM ET today."
    assert speak(hours, zone=EASTERN).text == (
        "Our front desk hours are Monday to Friday 9 AM to 5 PM, Eastern time. We're open now, until 5 PM today."
    )
    assert speak("A person will reply by 4:30 PM ET today.", zone=EASTERN).text == (
        "A person will reply by 4:30 PM today, Eastern time."
    )


def test_a_sentence_that_already_says_the_zone_does_not_say_it_again() -> None:
    written = "Your session is Tue Dec 1, 10:00 AM ET; a person will call you back by 2 PM today, Eastern time."
    said = "Your session is Tuesday the 1st at 10 AM; a person will call you back by 2 PM today, Eastern time."
    assert speak(written, zone=EASTERN).text == said
    assert speak(written).text == said  # with no zone given, a label is still never read out as letters


def test_zone_words_follow_the_practice_zone_all_year() -> None:
    winter, summer = dt.datetime(2026, 1, 15, tzinfo=dt.UTC), dt.datetime(2026, 7, 15, tzinfo=dt.UTC)
    assert zone_words(ZONE, winter) == zone_words(ZONE, summer) == EASTERN
    assert zone_words(ZoneInfo("America/Los_Angeles"), summer) == ZoneWords("PT", "Pacific time")
    assert zone_words(ZoneInfo("Pacific/Honolulu"), summer) == ZoneWords("HST", "Hawaii time")
    spoken = speak("Book Tue Dec 1, 10:00 AM HST?", zone=zone_words(ZoneInfo("Pacific/Honolulu"), winter))
    assert spoken.text == "Book Tuesday the 1st at 10 AM, Hawaii time?"
