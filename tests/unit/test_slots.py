"""Open-slot search: windows, exceptions, busy times, lead time, preferences, DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.scheduling.preferences import SlotPreference
from assistant.scheduling.slots import (
    BusyInterval,
    ClinicianCalendar,
    DateException,
    WeeklyWindow,
    is_open_slot,
    open_slots,
    spread_across_days,
)
from assistant.store.models import AvailabilityModality, Modality

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
NINE_TO_FIVE = tuple(WeeklyWindow(day, dt.time(9), dt.time(17)) for day in (MON, TUE, WED, THU, FRI))


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A New York wall-clock time as a UTC instant."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY).astimezone(UTC)


def hours_of(starts: list[dt.datetime]) -> list[int]:
    return [start.astimezone(NY).hour for start in starts]


def search(
    calendar: ClinicianCalendar,
    *,
    start: dt.datetime,
    days: int = 1,
    now: dt.datetime | None = None,
    minutes: int = 50,
    limit: int = 50,
    **options: object,
) -> list[dt.datetime]:
    return open_slots(
        calendar,
        session_minutes=minutes,
        search_from=start,
        search_until=start + dt.timedelta(days=days),
        now=now or start - dt.timedelta(days=7),
        limit=limit,
        **options,
    )


def calendar(
    windows: tuple[WeeklyWindow, ...] = NINE_TO_FIVE,
    *,
    exceptions: tuple[DateException, ...] = (),
    busy: tuple[BusyInterval, ...] = (),
) -> ClinicianCalendar:
    return ClinicianCalendar("America/New_York", windows, exceptions, busy)


# Monday 1 June 2026 (summer time) and Monday 7 December 2026 (standard time).
SUMMER_MONDAY = local(2026, 6, 1, 0)
WINTER_MONDAY = local(2026, 12, 7, 0)


def test_slots_start_on_the_hour_and_fit_inside_the_window() -> None:
    starts = search(calendar(), start=SUMMER_MONDAY)
    assert hours_of(starts) == [9, 10, 11, 12, 13, 14, 15, 16]
    assert all(start.tzinfo is not None and start.utcoffset() == dt.timedelta(0) for start in starts)


@pytest.mark.parametrize(("minutes", "last_hour"), [(50, 16), (60, 16), (61, 15), (90, 15), (480, 9)])
def test_a_slot_must_end_by_the_window_end(minutes: int, last_hour: int) -> None:
    starts = search(calendar(), start=SUMMER_MONDAY, minutes=minutes)
    assert hours_of(starts)[0] == 9
    assert hours_of(starts)[-1] == last_hour


def test_a_session_longer_than_the_window_gives_nothing() -> None:
    assert search(calendar(), start=SUMMER_MONDAY, minutes=481) == []


def test_windows_off_the_hour_still_place_sessions_on_the_hour() -> None:
    windows = (WeeklyWindow(MON, dt.time(9, 30), dt.time(16, 45)),)
    assert hours_of(search(calendar(windows), start=SUMMER_MONDAY)) == [10, 11, 12, 13, 14, 15]


def test_same_local_time_is_a_different_instant_in_summer_and_winter() -> None:
    summer = search(calendar(), start=SUMMER_MONDAY, limit=1)
    winter = search(calendar(), start=WINTER_MONDAY, limit=1)
    assert summer == [dt.datetime(2026, 6, 1, 13, tzinfo=UTC)]
    assert winter == [dt.datetime(2026, 12, 7, 14, tzinfo=UTC)]


def test_spring_forward_week_keeps_local_times() -> None:
    # Clocks go forward on Sunday 8 March 2026 at 02:00.
    friday = search(calendar(), start=local(2026, 3, 6, 0), limit=1)
    monday = search(calendar(), start=local(2026, 3, 9, 0), limit=1)
    assert friday == [dt.datetime(2026, 3, 6, 14, tzinfo=UTC)]
    assert monday == [dt.datetime(2026, 3, 9, 13, tzinfo=UTC)]


def test_spring_forward_night_skips_the_missing_hour() -> None:
    windows = (WeeklyWindow(SUN, dt.time(0), dt.time(5)),)
    starts = search(calendar(windows), start=local(2026, 3, 8, 0))
    assert starts == [dt.datetime(2026, 3, 8, hour, tzinfo=UTC) for hour in (5, 6, 7, 8)]
    assert hours_of(starts) == [0, 1, 3, 4]


def test_fall_back_night_offers_each_wall_clock_hour_once() -> None:
    # Clocks go back on Sunday 1 November 2026 at 02:00; 01:00 happens twice.
    windows = (WeeklyWindow(SUN, dt.time(0), dt.time(3)),)
    starts = search(calendar(windows), start=local(2026, 11, 1, 0))
    assert starts == [dt.datetime(2026, 11, 1, hour, tzinfo=UTC) for hour in (4, 5, 7)]
    monday = search(calendar(), start=local(2026, 11, 2, 0), limit=1)
    assert monday == [dt.datetime(2026, 11, 2, 14, tzinfo=UTC)]


def test_search_across_a_dst_change_stays_sorted_by_instant() -> None:
    starts = search(calendar(), start=local(2026, 10, 30, 0), days=4, limit=100)
    assert starts == sorted(starts)
    assert set(hours_of(starts)) == set(range(9, 17))


def test_whole_day_exception_removes_the_day() -> None:
    off = (DateException(dt.date(2026, 6, 1)),)
    starts = search(calendar(exceptions=off), start=SUMMER_MONDAY, days=2)
    assert {start.astimezone(NY).date() for start in starts} == {dt.date(2026, 6, 2)}


def test_partial_exception_removes_only_overlapping_slots() -> None:
    off = (DateException(dt.date(2026, 6, 1), dt.time(12), dt.time(14)),)
    assert hours_of(search(calendar(exceptions=off), start=SUMMER_MONDAY)) == [9, 10, 11, 14, 15, 16]


def test_partial_exception_off_the_hour_blocks_both_neighbours() -> None:
    off = (DateException(dt.date(2026, 6, 1), dt.time(10, 45), dt.time(11, 5)),)
    assert hours_of(search(calendar(exceptions=off), start=SUMMER_MONDAY)) == [9, 12, 13, 14, 15, 16]


def test_exception_with_only_a_start_runs_to_the_end_of_the_day() -> None:
    off = (DateException(dt.date(2026, 6, 1), dt.time(15), None),)
    assert hours_of(search(calendar(exceptions=off), start=SUMMER_MONDAY)) == [9, 10, 11, 12, 13, 14]


def test_exception_on_another_date_changes_nothing() -> None:
    off = (DateException(dt.date(2026, 6, 3)),)
    assert len(search(calendar(exceptions=off), start=SUMMER_MONDAY)) == 8


def test_busy_intervals_block_overlapping_slots_only() -> None:
    busy = (
        BusyInterval(local(2026, 6, 1, 10, 30), local(2026, 6, 1, 11, 20)),
        BusyInterval(local(2026, 6, 1, 14), local(2026, 6, 1, 14, 50)),
    )
    assert hours_of(search(calendar(busy=busy), start=SUMMER_MONDAY)) == [9, 12, 13, 15, 16]


def test_busy_interval_ending_as_a_slot_starts_does_not_block_it() -> None:
    busy = (BusyInterval(local(2026, 6, 1, 9), local(2026, 6, 1, 10)),)
    assert hours_of(search(calendar(busy=busy), start=SUMMER_MONDAY))[0] == 10


def test_default_lead_time_is_two_hours() -> None:
    now = local(2026, 6, 1, 9, 30)
    starts = search(calendar(), start=SUMMER_MONDAY, now=now)
    assert hours_of(starts)[0] == 12  # 11:30 is the earliest, so 12:00


def test_a_slot_exactly_at_the_lead_time_is_offered() -> None:
    starts = search(calendar(), start=SUMMER_MONDAY, now=local(2026, 6, 1, 9))
    assert hours_of(starts)[0] == 11


def test_lead_time_can_be_changed() -> None:
    now = local(2026, 6, 1, 9, 30)
    starts = search(calendar(), start=SUMMER_MONDAY, now=now, min_lead=dt.timedelta(0))
    assert hours_of(starts)[0] == 10


def test_nothing_in_the_past() -> None:
    now = local(2026, 6, 1, 20)
    assert search(calendar(), start=SUMMER_MONDAY, now=now) == []


def test_search_range_end_is_exclusive() -> None:
    starts = open_slots(
        calendar(),
        session_minutes=50,
        search_from=local(2026, 6, 1, 10),
        search_until=local(2026, 6, 1, 13),
        now=local(2026, 5, 1, 0),
        limit=10,
    )
    assert hours_of(starts) == [10, 11, 12]


def test_limit_takes_the_earliest_across_days_and_weeks() -> None:
    friday_afternoon = local(2026, 6, 5, 15)
    starts = search(calendar(), start=friday_afternoon, days=7, limit=3)
    assert [start.astimezone(NY).strftime("%a %H") for start in starts] == ["Fri 15", "Fri 16", "Mon 09"]


def test_zero_limit_gives_nothing() -> None:
    assert search(calendar(), start=SUMMER_MONDAY, limit=0) == []


def test_overlapping_windows_do_not_duplicate_slots() -> None:
    windows = (WeeklyWindow(MON, dt.time(9), dt.time(12)), WeeklyWindow(MON, dt.time(10), dt.time(14)))
    assert hours_of(search(calendar(windows), start=SUMMER_MONDAY)) == [9, 10, 11, 12, 13]


EVENINGS = NINE_TO_FIVE + (
    WeeklyWindow(TUE, dt.time(17), dt.time(19), AvailabilityModality.TELEHEALTH),
    WeeklyWindow(THU, dt.time(17), dt.time(19), AvailabilityModality.IN_PERSON),
)


def test_preference_after_five_finds_evening_windows() -> None:
    after_five = SlotPreference(not_before=dt.time(17), description="after 5")
    starts = search(calendar(EVENINGS), start=SUMMER_MONDAY, days=7, preference=after_five)
    assert [start.astimezone(NY).strftime("%a %H") for start in starts] == ["Tue 17", "Tue 18", "Thu 17", "Thu 18"]


def test_preference_weekday_and_part_of_day() -> None:
    friday_afternoon = SlotPreference(weekdays=frozenset({FRI}), not_before=dt.time(12))
    starts = search(calendar(), start=SUMMER_MONDAY, days=14, preference=friday_afternoon, limit=3)
    assert [start.astimezone(NY).strftime("%a %d %H") for start in starts] == ["Fri 05 12", "Fri 05 13", "Fri 05 14"]


def test_preference_dates_and_morning() -> None:
    next_week_mornings = SlotPreference(
        earliest_date=dt.date(2026, 6, 8), latest_date=dt.date(2026, 6, 9), before=dt.time(12)
    )
    starts = search(calendar(), start=SUMMER_MONDAY, days=28, preference=next_week_mornings)
    assert [start.astimezone(NY).strftime("%d %H") for start in starts] == [
        "08 09",
        "08 10",
        "08 11",
        "09 09",
        "09 10",
        "09 11",
    ]


def test_preference_uses_local_time_not_utc() -> None:
    # 09:00 in New York is 13:00Z; "before 10" must mean 10:00 local.
    before_ten = SlotPreference(before=dt.time(10))
    assert hours_of(search(calendar(), start=SUMMER_MONDAY, preference=before_ten)) == [9]


def test_empty_preference_accepts_everything() -> None:
    assert len(search(calendar(), start=SUMMER_MONDAY, preference=SlotPreference())) == 8


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (None, ["Tue 17", "Tue 18", "Thu 17", "Thu 18"]),
        (Modality.TELEHEALTH, ["Tue 17", "Tue 18"]),
        (Modality.IN_PERSON, ["Thu 17", "Thu 18"]),
        ("in_person", ["Thu 17", "Thu 18"]),
    ],
)
def test_modality_filter(wanted: Modality | str | None, expected: list[str]) -> None:
    after_five = SlotPreference(not_before=dt.time(17))
    starts = search(calendar(EVENINGS), start=SUMMER_MONDAY, days=7, preference=after_five, modality=wanted)
    assert [start.astimezone(NY).strftime("%a %H") for start in starts] == expected


def test_either_windows_fit_both_modalities() -> None:
    for wanted in (Modality.TELEHEALTH, Modality.IN_PERSON):
        assert len(search(calendar(), start=SUMMER_MONDAY, modality=wanted)) == 8


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        open_slots(
            calendar(),
            session_minutes=50,
            search_from=dt.datetime(2026, 6, 1),
            search_until=local(2026, 6, 2, 0),
            now=local(2026, 5, 1, 0),
        )
    with pytest.raises(ValueError, match="timezone-aware"):
        open_slots(
            calendar(),
            session_minutes=50,
            search_from=SUMMER_MONDAY,
            search_until=local(2026, 6, 2, 0),
            now=dt.datetime(2026, 5, 1),
        )


def test_session_length_must_be_positive() -> None:
    with pytest.raises(ValueError):
        search(calendar(), start=SUMMER_MONDAY, minutes=0)


def test_is_open_slot() -> None:
    busy = (BusyInterval(local(2026, 6, 1, 11), local(2026, 6, 1, 11, 50)),)
    cal = calendar(EVENINGS, busy=busy)
    now = local(2026, 5, 30, 12)
    assert is_open_slot(cal, local(2026, 6, 1, 10), session_minutes=50, now=now)
    assert is_open_slot(cal, local(2026, 6, 1, 10).astimezone(NY), session_minutes=50, now=now)
    assert not is_open_slot(cal, local(2026, 6, 1, 11), session_minutes=50, now=now)  # busy
    assert not is_open_slot(cal, local(2026, 6, 1, 10, 30), session_minutes=50, now=now)
    assert not is_open_slot(cal, local(2026, 6, 6, 10), session_minutes=50, now=now)  # Saturday
    assert not is_open_slot(cal, local(2026, 6, 2, 17), session_minutes=50, now=now, modality=Modality.IN_PERSON)
    assert is_open_slot(cal, local(2026, 6, 2, 17), session_minutes=50, now=now, modality=Modality.TELEHEALTH)
    assert not is_open_slot(cal, local(2026, 5, 30, 13), session_minutes=50, now=now)


def test_spread_across_days_prefers_one_slot_per_day() -> None:
    ny = ZoneInfo("America/New_York")
    starts = [dt.datetime(2026, 11, 30, hour, tzinfo=ny) for hour in (9, 10, 11, 14)]
    starts += [dt.datetime(2026, 12, 1, 15, tzinfo=ny), dt.datetime(2026, 12, 2, 9, tzinfo=ny)]
    picked = spread_across_days(starts, 3, ny)
    assert picked == [starts[0], starts[4], starts[5]]


def test_spread_across_days_fills_from_the_same_day_when_needed() -> None:
    ny = ZoneInfo("America/New_York")
    starts = [dt.datetime(2026, 11, 30, hour, tzinfo=ny) for hour in (9, 10, 11, 12)]
    assert spread_across_days(starts, 3, ny) == starts[:3]
    assert spread_across_days(starts[:2], 3, ny) == starts[:2]
    mixed = starts[:3] + [dt.datetime(2026, 12, 1, 9, tzinfo=ny)]
    assert spread_across_days(mixed, 3, ny) == [starts[0], starts[1], mixed[3]]
