"""Settled days read from their roll-up, the rest computed: the read side of insights' daily
roll-ups (rollup_job.py writes them; store/models/insight_days.py has the tables).

The panels whose SQL reads every message of the period (conversations, the heatmap of client
messages, containment) are sums of per-day counts, and a day's counts stop changing once its
contacts are all judged (containment needs 48 hours after a contact's last message).  Those
days are counted once and kept; a request sums the kept days of its period in the database and
computes only the others (in practice the last three days) with the metric's own query.  The
answer is the same either way: tests/insights/test_rollups.py compares the two on every metric.

The kept days of a practice are one unbroken run of days cut in the practice's time zone
(rollup_job.py only ever extends it, and forgets it all when the zone changes); a run with a
hole, or cut in another zone, is not read at all: every day is computed live instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.services.insights.window import InsightsWindow
from assistant.store.models import Channel, InsightDay, InsightDayCount, Practice

# (local day "YYYY-MM-DD", channel, item) -> count; the metric says what an item is.  A day of
# "" stands for the whole period when the caller does not need days (the heatmap).
DayCounts = dict[tuple[str, Channel, str], int]
LiveCounts = Callable[[InsightsWindow], DayCounts]


@dataclass(frozen=True)
class KeptDays:
    first: dt.date
    last: dt.date


def kept_days(session: Session, practice: Practice) -> KeptDays | None:
    """The practice's rolled-up days (first and last), if they are usable: cut in its current
    zone and with no day missing in between."""
    first, last, count = session.execute(
        select(func.min(InsightDay.day), func.max(InsightDay.day), func.count()).where(
            InsightDay.practice_id == practice.id, InsightDay.timezone == practice.timezone
        )
    ).one()
    if first is None or last is None or count != (last - first).days + 1:
        return None
    return KeptDays(first, last)


@dataclass(frozen=True)
class Split:
    """A period cut into the part read from the roll-up and the part computed live (the days
    after the last kept one)."""

    kept: tuple[dt.date, dt.date] | None
    live: list[InsightsWindow]


def split(window: InsightsWindow, kept: KeptDays | None) -> Split:
    if kept is None or kept.last < window.date_from or kept.first > window.date_to:
        return Split(None, [window])
    first, last = max(window.date_from, kept.first), min(window.date_to, kept.last)
    # Before the first kept day there is nothing to count: the run starts at the practice's
    # first conversation (a history written into the past afterwards calls rollup_job.forget).
    if last == window.date_to:
        return Split((first, last), [])
    return Split(
        (first, last), [InsightsWindow(last + dt.timedelta(days=1), window.date_to, window.zone, window.channel)]
    )


def day_counts(
    session: Session,
    practice: Practice,
    window: InsightsWindow,
    metric: str,
    live: LiveCounts,
    *,
    by_day: bool = True,
) -> DayCounts:
    """`metric`'s counts over `window` (its channel filter applied): the kept days summed in the
    database, the others from `live` (the metric's own query, given a part of the period).
    With `by_day` False the days are summed away (every key's day is "")."""
    parts = split(window, kept_days(session, practice))
    found: DayCounts = {}
    if parts.kept is not None:
        grouped = (InsightDayCount.day,) if by_day else ()
        query = (
            select(*grouped, InsightDayCount.channel, InsightDayCount.item, func.sum(InsightDayCount.count))
            .where(InsightDayCount.practice_id == practice.id, InsightDayCount.metric == metric)
            .where(InsightDayCount.day >= parts.kept[0], InsightDayCount.day <= parts.kept[1])
            .group_by(*grouped, InsightDayCount.channel, InsightDayCount.item)
        )
        if window.channel != "all":
            query = query.where(InsightDayCount.channel == window.channel)
        for row in session.execute(query):
            day_text = row[0].isoformat() if by_day else ""
            channel, item, count = row[-3:]
            key = (day_text, Channel(channel), item)
            found[key] = found.get(key, 0) + int(count)
    for part in parts.live:
        for (live_day, channel, item), count in live(part).items():
            key = (live_day if by_day else "", channel, item)
            found[key] = found.get(key, 0) + count
    return found
