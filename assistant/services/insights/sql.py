"""The few expressions SQLite and PostgreSQL spell differently: a timestamp's local day (or
weekday and hour), a timestamp plus some hours, seconds between two timestamps, a percentile.

Timestamps are stored as UTC (naive text on SQLite, timestamptz on PostgreSQL; see
store/models/base.py), so each helper works on UTC and the caller maps to local time.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Float, Select, String, case, cast, func, literal, literal_column, select
from sqlalchemy.orm import Session

from assistant.services.insights.window import InsightsWindow
from assistant.store.models import UTCDateTime


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _inline(value: Any, type_: Any = None) -> ColumnElement[Any]:
    """A constant written into the SQL text rather than bound as a parameter.

    SQLite evaluates a GROUP BY expression once per row only when it is the same text as the
    selected one; with bound parameters every copy has its own placeholders, so each local day
    (two strftime calls with a CASE) was computed twice per row.  Only our own constants
    (formats, offsets, timestamps) go through here, rendered by the dialect's literal
    processor at execution time."""
    return literal(value, type_, literal_execute=True)


def plus_hours(session: Session, column: Any, hours: int) -> ColumnElement[Any]:
    """`column` + `hours` (or minus, when negative), comparable with other timestamp columns."""
    if dialect(session) == "postgresql":
        shifted: ColumnElement[Any] = column + literal_column(f"interval '{int(hours)} hours'")
        return shifted
    # SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff'; the result must have the same layout for text
    # comparison to order it.  strftime's %f gives milliseconds only ('SS.SSS', which sorts
    # before 'SS.SSS000': exactly 24 hours later read as later), and whole hours leave the
    # fraction alone, so the column's own '.ffffff' is appended.
    shifted_seconds = func.strftime(
        _inline("%Y-%m-%d %H:%M:%S"), column, _inline(f"{int(hours):+d} hours"), type_=String
    )
    return shifted_seconds.concat(func.substr(column, _inline(20)))


def seconds_between(session: Session, later: Any, earlier: Any) -> ColumnElement[float]:
    if dialect(session) == "postgresql":
        return cast(func.extract("epoch", later - earlier), Float)
    return cast((func.julianday(later) - func.julianday(earlier)) * 86400.0, Float)


def percentile(session: Session, values: Select[Any], fraction: float) -> float | None:
    """The `fraction` percentile (linear interpolation, as PostgreSQL's percentile_cont) of the
    one-column `values`, computed in the database: percentile_cont on PostgreSQL; on SQLite,
    which has no ordered-set aggregates, a count and then the (at most two) rows around the
    rank, read from the database's own ORDER BY ... LIMIT/OFFSET."""
    inner = values.subquery()
    column = inner.c[0]
    if dialect(session) == "postgresql":
        found = session.scalar(select(func.percentile_cont(fraction).within_group(column)).where(column.is_not(None)))
        return None if found is None else float(found)
    count = session.scalar(select(func.count()).select_from(inner).where(column.is_not(None))) or 0
    if count == 0:
        return None
    rank = fraction * (count - 1)
    low = math.floor(rank)
    around = [
        float(value)
        for value in session.scalars(select(column).where(column.is_not(None)).order_by(column).limit(2).offset(low))
    ]
    if len(around) == 1 or rank == low:
        return around[0]
    return around[0] + (around[1] - around[0]) * (rank - low)


# --- local time ------------------------------------------------------------------------------
# PostgreSQL knows time zones (timezone(zone, timestamptz) is the local wall-clock time).
# SQLite does not: it gets the zone's UTC offsets over the period, as a CASE over the (at most
# a few) DST transitions in it, and shifts by that many seconds.  Either way the database
# groups by local day (or weekday and hour), so a year is a few hundred rows, not 8,760 hours.


def _offsets(zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime | None, int]]:
    """[(until, offset seconds), ...] covering [start, end): each offset holds before `until`
    (None: to the end).  Found day by day, then to the hour within a day that changes."""

    def offset_at(moment: dt.datetime) -> int:
        delta = moment.astimezone(zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    spans: list[tuple[dt.datetime | None, int]] = []
    moment = start.replace(minute=0, second=0, microsecond=0)
    current = offset_at(moment)
    while moment < end:
        following = moment + dt.timedelta(days=1)
        if offset_at(following) != current:
            hour = moment
            while offset_at(hour) == current:
                hour += dt.timedelta(hours=1)
            spans.append((hour, current))
            current, following = offset_at(hour), hour
        moment = following
    spans.append((None, current))
    return spans


def _local(session: Session, column: Any, zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> tuple[Any, ...]:
    """The arguments that turn `column` into local time: for strftime on SQLite (the column and
    a "+N seconds" modifier), or the local timestamp itself on PostgreSQL."""
    if dialect(session) == "postgresql":
        return (func.timezone(zone.key, column),)
    spans = _offsets(zone, start, end)
    if len(spans) == 1:
        return (column, _inline(f"{spans[0][1]:+d} seconds"))
    modifier = case(
        *((column < _inline(until, UTCDateTime()), _inline(f"{offset:+d} seconds")) for until, offset in spans[:-1]),
        else_=_inline(f"{spans[-1][1]:+d} seconds"),
    )
    return (column, modifier)


def local_day(
    session: Session, column: Any, zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> ColumnElement[str]:
    """'YYYY-MM-DD' of `column` in `zone` (`start`..`end` bound the rows it is used on)."""
    local = _local(session, column, zone, start, end)
    if dialect(session) == "postgresql":
        return func.to_char(local[0], "YYYY-MM-DD")
    return cast(func.strftime(_inline("%Y-%m-%d"), *local), String)


def local_day_hour(
    session: Session, column: Any, zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> ColumnElement[str]:
    """'YYYY-MM-DD HH' of `column` in `zone`: the day and the hour in one key (one expression to
    compute and group by per row)."""
    local = _local(session, column, zone, start, end)
    if dialect(session) == "postgresql":
        return func.to_char(local[0], "YYYY-MM-DD HH24")
    return cast(func.strftime(_inline("%Y-%m-%d %H"), *local), String)


# Rows a panel groups may lie a little outside its period (a reminder sent before it, a
# conversation's 48-hour follow-up after it): the offsets cover that margin too.
_MARGIN = dt.timedelta(days=10)


def day_key(session: Session, column: Any, window: InsightsWindow) -> ColumnElement[str]:
    """The practice-local 'YYYY-MM-DD' of `column`: group by it, then `window.bucket_of_day`."""
    return local_day(session, column, window.zone, window.start - _MARGIN, window.end + _MARGIN)


def day_hour_key(session: Session, column: Any, window: InsightsWindow) -> ColumnElement[str]:
    """The practice-local 'YYYY-MM-DD HH' of `column`."""
    return local_day_hour(session, column, window.zone, window.start - _MARGIN, window.end + _MARGIN)
