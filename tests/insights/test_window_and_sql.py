"""The period and its buckets; the dialect helpers (a percentile in SQL agrees with the in-memory one)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Float, literal, select, union_all
from sqlalchemy.orm import aliased

from assistant.scheduling.hours import parse_business_hours
from assistant.services.insights import stats
from assistant.services.insights.business_time import staffed_minutes_between
from assistant.services.insights.sql import percentile, plus_hours
from assistant.services.insights.window import InsightsWindow, WindowError
from assistant.store.models import Author, Message
from tests.insights.history import WEEKDAYS_9_TO_5, History, at

ZONE = ZoneInfo("America/New_York")


def test_a_period_knows_its_utc_bounds_across_a_dst_change() -> None:
    window = InsightsWindow(dt.date(2026, 10, 31), dt.date(2026, 11, 1), ZONE)  # EDT, then EST
    assert window.start == dt.datetime(2026, 10, 31, 4, tzinfo=dt.UTC)
    assert window.end == dt.datetime(2026, 11, 2, 5, tzinfo=dt.UTC)
    assert window.buckets() == ["2026-10-31", "2026-11-01"]


def test_over_a_month_buckets_are_monday_weeks() -> None:
    window = InsightsWindow(dt.date(2026, 9, 2), dt.date(2026, 11, 30), ZONE)
    assert window.bucket == "week"
    assert window.buckets()[0] == "2026-08-31" and window.buckets()[-1] == "2026-11-30"
    assert window.months() == ["2026-09", "2026-10", "2026-11"]


@pytest.mark.parametrize(
    ("first", "last"), [(dt.date(2026, 11, 2), dt.date(2026, 11, 1)), (dt.date(2020, 1, 1), dt.date(2026, 1, 1))]
)
def test_a_backwards_or_too_long_period_is_refused(first: dt.date, last: dt.date) -> None:
    with pytest.raises(WindowError):
        InsightsWindow(first, last, ZONE)


def test_staffed_minutes_skip_nights_and_weekends() -> None:
    hours = parse_business_hours(WEEKDAYS_9_TO_5, ZONE.key)
    assert staffed_minutes_between(hours, at("2026-11-06", "16:30"), at("2026-11-09", "09:30")) == 60
    assert staffed_minutes_between(hours, at("2026-11-07", "10:00"), at("2026-11-08", "10:00")) == 0
    assert staffed_minutes_between(hours, at("2026-11-03", "08:00"), at("2026-11-04", "08:00")) == 8 * 60
    always = parse_business_hours({}, ZONE.key)
    assert staffed_minutes_between(always, at("2026-11-07", "10:00"), at("2026-11-08", "10:00")) == 24 * 60


@pytest.mark.parametrize("values", [[7.0], [1.0, 2.0], [10.0, 20.0, 30.0, 40.0, 100.0], [5.0, 1.0, 3.0, 3.0, 9.0, 2.0]])
@pytest.mark.parametrize("fraction", [0.5, 0.9])
def test_the_sql_percentile_matches_percentile_cont(history: History, values: list[float], fraction: float) -> None:
    rows = union_all(*(select(literal(value, Float).label("v")) for value in values))
    assert percentile(history.session, select(rows.subquery().c.v), fraction) == pytest.approx(
        stats.percentile(values, fraction)
    )


def test_a_percentile_of_nothing_is_none(history: History) -> None:
    empty = select(literal(1.0, Float).label("v")).where(literal(False))
    assert percentile(history.session, empty, 0.5) is None
    assert stats.percentile([], 0.5) is None


@pytest.mark.parametrize("hours", [24, 48, -24])
def test_hours_later_compares_exactly_with_stored_times(history: History, hours: int) -> None:
    """A time exactly `hours` after a stored one is not later than it, a microsecond more is
    (SQLite compares its timestamps as text: the shifted one must keep the stored layout)."""
    thread = history.conversation(at("2026-11-02", "10:00"), client=history.client())
    first = history.message(thread, at("2026-11-03", "09:30:05"), Author.CLIENT)
    exactly = history.message(thread, at("2026-11-03", "09:30:05") + dt.timedelta(hours=hours), Author.CLIENT)
    beyond = history.message(
        thread, at("2026-11-03", "09:30:05") + dt.timedelta(hours=hours, microseconds=1), Author.CLIENT
    )
    later = aliased(Message)
    shifted = plus_hours(history.session, Message.created_at, hours)
    found = history.session.execute(
        select(later.id, later.created_at > shifted, later.created_at == shifted)
        .join(Message, Message.conversation_id == later.conversation_id)
        .where(Message.id == first.id, later.id.in_([exactly.id, beyond.id]))
        .order_by(later.id)
    ).all()
    assert [(row[1], row[2]) for row in found] == [(False, True), (True, False)]
