"""Times as clients read them say their zone (wording/formats.py): one label per zone that
does not flip with the season ("ET", never "EST"/"EDT"), and the zone in words for a call."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.wording import catalog, formats
from assistant.wording.moments import spoken_moment, written_moment

UTC = dt.UTC
WINTER = dt.datetime(2026, 1, 15, 17, tzinfo=UTC)
SUMMER = dt.datetime(2026, 7, 15, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "label", "said"),
    [
        ("America/New_York", "ET", "Eastern time"),
        ("America/Detroit", "ET", "Eastern time"),
        ("America/Chicago", "CT", "Central time"),
        ("America/Denver", "MT", "Mountain time"),
        # Arizona keeps standard time all year; CLDR still calls it Mountain time, as Arizonans do.
        ("America/Phoenix", "MT", "Mountain time"),
        ("America/Los_Angeles", "PT", "Pacific time"),
        ("America/Anchorage", "AKT", "Alaska time"),
        # CLDR has no short generic name for Hawaii (Babel would write "United States (Honolulu) Time"):
        # the zone database's HST, which Hawaii (no daylight saving) uses all year.
        ("Pacific/Honolulu", "HST", "Hawaii time"),
        ("America/Puerto_Rico", "AT", "Atlantic time"),
        ("Asia/Kolkata", "IST", "India time"),
        # Only a number in the zone database ("+04", "+0545"): the offset from UTC.
        ("Asia/Dubai", "UTC+4", "United Arab Emirates time"),
        ("Asia/Kathmandu", "UTC+5:45", "Nepal time"),
        ("UTC", "UTC", "Coordinated Universal time"),
    ],
)
def test_each_zone_has_one_label_all_year(zone: str, label: str, said: str) -> None:
    place = ZoneInfo(zone)
    assert formats.zone_label(place, WINTER) == formats.zone_label(place, SUMMER) == label
    assert formats.spoken_zone(place, WINTER) == formats.spoken_zone(place, SUMMER) == said


def test_a_zone_with_no_short_generic_name_takes_the_abbreviation_in_force() -> None:
    """Europe/London: CLDR's short name falls back to "United Kingdom Time"; people there
    read GMT in winter and BST in summer, so the label follows the date it labels."""
    london = ZoneInfo("Europe/London")
    assert formats.day_time_and_zone(WINTER, london) == "Thu Jan 15, 5:00 PM GMT"
    assert formats.day_time_and_zone(SUMMER, london) == "Wed Jul 15, 6:00 PM BST"
    assert formats.spoken_zone(london, WINTER) == formats.spoken_zone(london, SUMMER) == "British time"
    assert formats.day_time_and_zone(SUMMER, ZoneInfo("Europe/Paris")) == "Wed Jul 15, 7:00 PM CEST"


@pytest.mark.parametrize(
    ("before", "after", "written_before", "written_after"),
    [
        # 2026-03-08: New York springs forward at 2 AM (7:00 UTC).
        (
            dt.datetime(2026, 3, 8, 6, 59, tzinfo=UTC),
            dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
            "Sun Mar 8, 1:59 AM ET",
            "Sun Mar 8, 3:00 AM ET",
        ),
        # 2026-11-01: back at 2 AM EDT (6:00 UTC); 1:30 AM happens twice, both times ET.
        (
            dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
            dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
            "Sun Nov 1, 1:30 AM ET",
            "Sun Nov 1, 1:30 AM ET",
        ),
    ],
)
def test_the_label_does_not_flip_across_a_daylight_saving_change(
    before: dt.datetime, after: dt.datetime, written_before: str, written_after: str
) -> None:
    new_york = ZoneInfo("America/New_York")
    assert before.astimezone(new_york).tzname() != after.astimezone(new_york).tzname()  # a real change
    assert formats.day_time_and_zone(before, new_york) == written_before
    assert formats.day_time_and_zone(after, new_york) == written_after


def test_a_clients_time_is_written_with_its_label_and_a_reps_without() -> None:
    chicago = ZoneInfo("America/Chicago")
    moment = dt.datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert formats.day_time_and_zone(moment, chicago) == "Tue Dec 1, 10:00 AM CT"
    assert formats.clock_with_zone(moment, chicago) == "10:00 AM CT"
    assert formats.day_and_time(moment, chicago) == "Tue Dec 1, 10:00 AM"  # reps work in the practice's zone
    honolulu = ZoneInfo("Pacific/Honolulu")
    assert formats.day_time_and_zone(moment, honolulu) == "Tue Dec 1, 6:00 AM HST"
    assert formats.clock_with_zone(moment, ZoneInfo("America/Anchorage")) == "7:00 AM AKT"


def test_moments_written_say_the_label_and_spoken_say_the_zone_in_words() -> None:
    pacific = ZoneInfo("America/Los_Angeles")
    now = dt.datetime(2026, 11, 25, 16, 0, tzinfo=UTC)  # Wed Nov 25, 8:00 AM in Los Angeles
    later_today = dt.datetime(2026, 11, 26, 0, 30, tzinfo=UTC)
    monday = dt.datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    assert written_moment(later_today, pacific, now) == "4:30 PM PT today"
    assert written_moment(monday, pacific, now) == "Mon Nov 30, 10:00 AM PT"
    assert spoken_moment(later_today, pacific, now) == "4:30 PM today, Pacific time"
    assert spoken_moment(monday, pacific, now) == "Monday at 10 AM, Pacific time"
    # Across the change back to standard time (Nov 1) the written label stays "PT".
    summer_now = dt.datetime(2026, 10, 30, 16, 0, tzinfo=UTC)
    assert written_moment(dt.datetime(2026, 11, 2, 18, 0, tzinfo=UTC), pacific, summer_now) == "Mon Nov 2, 10:00 AM PT"
    assert written_moment(dt.datetime(2026, 10, 30, 22, 0, tzinfo=UTC), pacific, summer_now) == "3:00 PM PT today"


def test_catalog_sentences_carry_the_zone_once_per_time() -> None:
    chicago = ZoneInfo("America/Chicago")
    when = formats.day_time_and_zone(dt.datetime(2026, 12, 1, 16, 0, tzinfo=UTC), chicago)
    assert catalog.text("scheduling.confirm_book", when=when, how="by video") == "Book Tue Dec 1, 10:00 AM CT by video?"
    assert (
        catalog.text("outreach.reply.confirmed", when=when)
        == "You're confirmed for Tue Dec 1, 10:00 AM CT. See you then!"
    )
