"""Insights for the practice owner: every metric the insights page, its CSVs, the API and the
weekly summary show, defined once, as SQL aggregates (one module per group of metrics, a
docstring per metric):

  activity.py      conversations per day by channel; client messages by weekday x hour
  containment.py   containment (the 48-hour repeat-contact rule)
  handoffs.py      hand-offs by reason; time to first human reply (business hours, promise)
  self_service.py  what clients did themselves with the bot
  calls.py         the phone line
  outreach_texts.py reminders and follow-ups
  sessions.py      no-shows by month, cancellations rebooked, the dropped-off worklist
  retention.py     clients seen lately with a next session booked

`window.py` is the period and its buckets, `panel.py` the uniform panel shape (and its CSV),
`sql.py` the few expressions SQLite and PostgreSQL spell differently; `rollups.py` reads settled
days' counts kept by `rollup_job.py` (the gateway's hourly pass) for the panels that would
otherwise read every message of the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from assistant.services.console_views import iso
from assistant.services.insights import (
    activity,
    calls,
    containment,
    handoffs,
    outreach_texts,
    retention,
    self_service,
    sessions,
)
from assistant.services.insights.panel import Panel, PanelText, table_csv
from assistant.services.insights.window import InsightsWindow, WindowError, default_window
from assistant.store.models import Practice, utcnow

Scope = Literal["owner", "queue_health"]
Metric = Callable[[Session, Practice, InsightsWindow, dt.datetime], Panel]


def _at(function: Callable[[Session, Practice, InsightsWindow], Panel]) -> Metric:
    return lambda session, practice, window, _now: function(session, practice, window)


# Page order.  Each entry: the panel's text (title, definition, group) and its metric.
PANELS: dict[str, tuple[PanelText, Metric]] = {
    text.key: (text, metric)
    for text, metric in (
        (activity.CONVERSATIONS, _at(activity.conversations_per_day)),
        (activity.HEATMAP, _at(activity.message_heatmap)),
        (containment.CONTAINMENT, containment.containment),
        (handoffs.BY_REASON, _at(handoffs.handoffs_by_reason)),
        (handoffs.FIRST_REPLY, handoffs.first_reply),
        (self_service.SELF_SERVICE, _at(self_service.self_service)),
        (calls.CALLS, _at(calls.calls)),
        (outreach_texts.REMINDERS, _at(outreach_texts.reminders)),
        (sessions.NO_SHOWS, _at(sessions.no_shows)),
        (sessions.REBOOKING, sessions.rebooking),
        (outreach_texts.FOLLOW_UPS, _at(outreach_texts.follow_ups)),
        (sessions.DROPPED_OFF, _at(sessions.dropped_off)),
        (retention.RETENTION, _at(retention.retention)),
    )
}


class PanelNotAllowed(PermissionError):
    """An owner panel asked for by a rep who is not an admin."""


class UnknownPanel(LookupError):
    pass


@dataclass(frozen=True)
class InsightsRange:
    date_from: str
    date_to: str
    days: int
    bucket: str
    channel: str
    timezone: str


@dataclass(frozen=True)
class Insights:
    practice_name: str
    range: InsightsRange
    scope: Scope
    generated_at: str
    panels: list[Panel]


def allowed(key: str, scope: Scope) -> bool:
    return scope == "owner" or PANELS[key][0].group == "queue_health"


def panel(
    session: Session,
    practice: Practice,
    window: InsightsWindow,
    key: str,
    *,
    scope: Scope,
    now: dt.datetime | None = None,
) -> Panel:
    """One panel (the CSV endpoint's source: the same call the page's JSON makes)."""
    if key not in PANELS:
        raise UnknownPanel(key)
    if not allowed(key, scope):
        raise PanelNotAllowed(key)
    return PANELS[key][1](session, practice, window, now or utcnow())


def insights(
    session: Session, practice: Practice, window: InsightsWindow, *, scope: Scope, now: dt.datetime | None = None
) -> Insights:
    """Every panel `scope` may see, in page order."""
    now = now or utcnow()
    return Insights(
        practice_name=practice.name,
        range=InsightsRange(
            date_from=window.date_from.isoformat(),
            date_to=window.date_to.isoformat(),
            days=window.days,
            bucket=window.bucket,
            channel=window.channel,
            timezone=window.zone.key,
        ),
        scope=scope,
        generated_at=iso(now) or "",
        panels=[panel(session, practice, window, key, scope=scope, now=now) for key in PANELS if allowed(key, scope)],
    )


__all__ = [
    "PANELS",
    "Insights",
    "InsightsWindow",
    "PanelNotAllowed",
    "UnknownPanel",
    "WindowError",
    "default_window",
    "insights",
    "panel",
    "table_csv",
]
