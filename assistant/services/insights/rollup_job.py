"""Rolling up insights' settled days (rollups.py reads them back).

Each pass extends every practice's run of rolled-up days, in day order, up to three days ago:
a day is rolled up only when every contact started in it is judged (no containment outcome
"recent"), and the pass stops at the first day that is not, so the run never has a hole.  The
first pass after an upgrade backfills from the practice's first conversation.

A day's counts are the metrics' own live queries (activity.py, containment.py) run over a
stretch of days with no channel filter: the roll-up cannot define a metric differently.

Each stretch is computed in a read-only transaction and written in a short one that first
checks nobody else extended the run meanwhile (two gateways run this), so SQLite's write lock
is held for the insert only, never for the counting.

What a roll-up cannot see: a day's data changed after it was rolled up.  Live traffic never
does that (a settled day's contacts are over, and new messages belong to today); a history
written into the past (the demo's, an import) must call `forget` for the practice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.logs import get_logger
from assistant.services.insights import activity, containment
from assistant.services.insights.rollups import DayCounts, kept_days
from assistant.services.insights.window import InsightsWindow
from assistant.services.periodic import PeriodicJob
from assistant.store.engine import read_scope, session_scope
from assistant.store.models import Conversation, InsightDay, InsightDayCount, Practice, utcnow

log = get_logger("insights.rollup")

SETTLE_DAYS = 3  # a day's contacts can be judged 48 hours after its last minute, whatever its zone
STRETCH_DAYS = 31  # days counted per query (and written per transaction)
EVERY_SECONDS = 3600.0

RollupQuery = Callable[[Session, Practice, InsightsWindow, dt.datetime], DayCounts]
ROLLUPS: dict[str, RollupQuery] = {
    activity.CONVERSATIONS_ROLLUP: lambda s, p, w, _now: activity.conversation_counts(s, p, w),
    activity.CLIENT_MESSAGES_ROLLUP: lambda s, p, w, _now: activity.client_message_counts(s, p, w),
    containment.CONTAINMENT_ROLLUP: containment.containment_counts,
}


def forget(session: Session, practice_id: int) -> None:
    """Drop a practice's roll-ups (its history changed in the past); the next pass redoes them."""
    session.execute(delete(InsightDayCount).where(InsightDayCount.practice_id == practice_id))
    session.execute(delete(InsightDay).where(InsightDay.practice_id == practice_id))


def _first_day(session: Session, practice: Practice, zone: ZoneInfo) -> dt.date | None:
    first = session.scalar(select(func.min(Conversation.created_at)).where(Conversation.practice_id == practice.id))
    return None if first is None else first.astimezone(zone).date()


def _next_stretch(session: Session, practice: Practice, now: dt.datetime) -> InsightsWindow | None:
    """The days the next step may roll up, or None when the run is as long as it can be."""
    zone = ZoneInfo(practice.timezone)
    kept = kept_days(session, practice)
    first = kept.last + dt.timedelta(days=1) if kept else _first_day(session, practice, zone)
    last_settled = now.astimezone(zone).date() - dt.timedelta(days=SETTLE_DAYS)
    if first is None or first > last_settled:
        return None
    return InsightsWindow(first, min(last_settled, first + dt.timedelta(days=STRETCH_DAYS - 1)), zone)


def _settled(
    session: Session, practice: Practice, stretch: InsightsWindow, now: dt.datetime
) -> tuple[list[dt.date], dict[str, DayCounts]]:
    """The stretch's days that can be kept (in order, up to the first that cannot) and every
    metric's counts over the stretch."""
    counts = {metric: query(session, practice, stretch, now) for metric, query in ROLLUPS.items()}
    unjudged = {day for (day, _, kind) in counts[containment.CONTAINMENT_ROLLUP] if kind == containment.TOO_RECENT}
    days = []
    day = stretch.date_from
    while day <= stretch.date_to and day.isoformat() not in unjudged:
        days.append(day)
        day += dt.timedelta(days=1)
    return days, counts


def _keep(
    session: Session, practice: Practice, days: list[dt.date], counts: dict[str, DayCounts], now: dt.datetime
) -> None:
    kept = {day.isoformat() for day in days}
    session.add_all(
        InsightDay(practice_id=practice.id, day=day, timezone=practice.timezone, rolled_up_at=now) for day in days
    )
    session.add_all(
        InsightDayCount(
            practice_id=practice.id,
            metric=metric,
            day=dt.date.fromisoformat(day),
            channel=channel.value,
            item=item,
            count=count,
        )
        for metric, found in counts.items()
        for (day, channel, item), count in found.items()
        if day in kept
    )
    session.flush()


def _cut_in_another_zone(session: Session, practice: Practice) -> bool:
    """True when some of the practice's kept days were cut in a zone it no longer has."""
    stale = session.scalar(
        select(InsightDay.day)
        .where(InsightDay.practice_id == practice.id, InsightDay.timezone != practice.timezone)
        .limit(1)
    )
    return stale is not None


def roll_up_practice(session: Session, practice: Practice, now: dt.datetime | None = None) -> int:
    """Extend `practice`'s roll-up in `session` as far as it goes; how many days were added.
    All in the caller's transaction, for a caller that owns one (the tests, which roll back);
    the gateway's pass and `assistant insights roll-up` use `roll_up`, which commits per stretch."""
    now = now or utcnow()
    if _cut_in_another_zone(session, practice):
        forget(session, practice.id)
    added = 0
    while (stretch := _next_stretch(session, practice, now)) is not None:
        days, counts = _settled(session, practice, stretch, now)
        _keep(session, practice, days, counts, now)
        added += len(days)
        if len(days) < stretch.days:
            break
    return added


def roll_up(database_url: str, now: dt.datetime | None = None) -> int:
    """One pass over every practice: count in a read-only transaction, write in a short one."""
    moment = now or utcnow()
    with read_scope(database_url) as session:
        practice_ids = list(session.scalars(select(Practice.id).order_by(Practice.id)))
    added = sum(_roll_up_one(database_url, practice_id, moment) for practice_id in practice_ids)
    if added:
        log.info("insights_rolled_up", days=added)
    return added


def _roll_up_one(database_url: str, practice_id: int, now: dt.datetime) -> int:
    with read_scope(database_url) as session:
        practice = session.get(Practice, practice_id)
        moved = practice is not None and _cut_in_another_zone(session, practice)
    if moved:
        with session_scope(database_url) as session:
            forget(session, practice_id)
    added = 0
    while True:
        with read_scope(database_url) as session:
            practice = session.get(Practice, practice_id)
            stretch = None if practice is None else _next_stretch(session, practice, now)
            if practice is None or stretch is None:
                return added
            days, counts = _settled(session, practice, stretch, now)
        if not days or not _write(database_url, practice_id, stretch, days, counts, now):
            return added
        added += len(days)
        if len(days) < stretch.days:  # a day not judged yet: the run ends before it
            return added


def _write(
    database_url: str,
    practice_id: int,
    stretch: InsightsWindow,
    days: list[dt.date],
    counts: dict[str, DayCounts],
    now: dt.datetime,
) -> bool:
    """Keep the counted days unless the run moved meanwhile (another process, a zone change)."""
    try:
        with session_scope(database_url) as session:
            practice = session.get(Practice, practice_id)
            if practice is None or practice.timezone != stretch.zone.key:
                return False
            again = _next_stretch(session, practice, now)
            if again is None or again.date_from != stretch.date_from:
                return False
            _keep(session, practice, days, counts, now)
    except IntegrityError:  # another gateway kept the same days first
        return False
    return True


def rollup_loop(database_url: str) -> PeriodicJob:
    """The gateway's thread: a pass at start-up (the backfill), then every hour."""
    return PeriodicJob("insights-rollup", EVERY_SECONDS, lambda: roll_up(database_url))
