"""Retention: of the clients seen lately, how many have their next session booked.

Retention
    At the end of each bucket (thinned to at most 8 points, the last one kept): of the
    clients with a completed session in the 30 days before, the share who had a later
    session booked at that moment (made by then, not cancelled or moved by then).
    The headline is the value at the end of the period.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, exists, func, not_, select
from sqlalchemy.orm import Session, aliased

from assistant.services.insights.panel import Figure, Headline, Panel, PanelText, make_panel, make_series, share
from assistant.services.insights.sessions import booking_ended
from assistant.services.insights.window import InsightsWindow
from assistant.store.models import Appointment, AppointmentStatus, Practice

SEEN_DAYS = 30
# One query per point: a year of weeks is thinned to about this many (a slow-moving share).
MAX_POINTS = 8
RETENTION = PanelText(
    key="retention",
    title="Retention",
    definition="Clients seen in the last 30 days who have their next session booked, as a share.",
    group="owner",
    chart="line",
    unit="percent",
)


def _points(buckets: list[str]) -> list[str]:
    """At most MAX_POINTS evenly spaced buckets, always ending with the period's last."""
    step = -(-len(buckets) // MAX_POINTS)
    return buckets[::-1][::step][::-1]


def retention_at(session: Session, practice: Practice, at: dt.datetime) -> tuple[int, int]:
    """(clients seen in the 30 days before `at`, of them with a session booked after `at`)."""
    seen = (
        select(Appointment.client_id)
        .where(Appointment.practice_id == practice.id, Appointment.status == AppointmentStatus.COMPLETED)
        .where(Appointment.starts_at >= at - dt.timedelta(days=SEEN_DAYS), Appointment.starts_at < at)
        .group_by(Appointment.client_id)
        .subquery()
    )
    upcoming = aliased(Appointment)
    booked = exists().where(
        upcoming.client_id == seen.c.client_id,
        upcoming.starts_at > at,
        upcoming.created_at <= at,
        not_(and_(upcoming.status.in_(booking_ended()), upcoming.status_changed_at <= at)),
    )
    total, with_next = session.execute(
        select(func.count(), func.sum(case((booked, 1), else_=0))).select_from(seen)
    ).one()
    return int(total or 0), int(with_next or 0)


def retention(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    xs = _points(window.buckets())
    points = {bucket: retention_at(session, practice, window.bucket_end(bucket)) for bucket in xs}
    last_seen, last_booked = points[xs[-1]] if xs else (0, 0)
    return make_panel(
        RETENTION,
        x_label=window.x_label,
        series=[
            make_series(
                "next_booked", "Next session booked (%)", xs, {b: share(n, s) for b, (s, n) in points.items()}, None
            )
        ],
        headline=Headline(share(last_booked, last_seen), "percent", "of recent clients have a next session"),
        has_data=any(seen for seen, _ in points.values()),
        figures=[
            Figure("seen", "Clients seen in the last 30 days", float(last_seen), "count"),
            Figure("next_booked", "With a next session booked", float(last_booked), "count"),
        ],
    )
