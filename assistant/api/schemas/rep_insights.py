"""Response models of the insights API (`GET /api/rep/insights`, `GET /api/rep/insights/{panel}.csv`).

Query: `from` and `to` are the practice's local dates "YYYY-MM-DD", both inclusive (default: the
last 30 days up to today; at most 400 days; `from` after `to` is a 422); `channel` is one of
all|web|sms|voice (default all).  Admins get every panel (`scope` "owner"); other reps get the
queue-health panels only (`scope` "queue_health"), and a 403 for an owner panel's CSV.

Every panel has the same shape, so the page renders them all with one piece of code:

    {
      "key": "containment",                       # stable id: CSS hooks, CSV file name, links
      "title": "Containment",
      "definition": "Share of bot-started conversations ...",   # the one-line definition shown
      "group": "owner" | "queue_health",          # reps only ever receive "queue_health" panels
      "status": "ok" | "not_yet_used",            # not_yet_used: the channel has no data in range
      "chart": "stacked_bar" | "bar" | "line" | "heatmap",      # how to draw `series`
      "unit": "count" | "percent" | "minutes",    # the unit of every y in `series`
      "headline": {"value": 71.4, "unit": "percent", "label": "contained"},   # value None: no data
      "figures": [{"key": "...", "label": "...", "value": 12.0, "unit": "minutes"}, ...],
      "x_label": "Day",                           # what the x values are (the table's first column)
      "series": [{"key": "web", "name": "Web chat", "points": [{"x": "2026-11-02", "y": 4.0}, ...]}],
      "table": {"caption": "...", "columns": ["Day", "Web chat", ...], "rows": [["2026-11-02", 4.0, ...]]},
      "links": [{"label": "Open hand-offs", "href": "/console?state=..."}]   # drill-down, console views
    }

- Every series of a panel has the same x values in the same order (missing buckets are 0,
  or null where a rate has no denominator); `table` is those series as rows: one row per x,
  the first column the x, then one column per series in `series` order.  The CSV endpoint
  writes exactly `table.columns` and `table.rows`, so CSV == plotted numbers by construction.
- x values are strings: a local date "YYYY-MM-DD" (day buckets), the Monday "YYYY-MM-DD" of a
  local week (week buckets, ranges over 31 days), "YYYY-MM" (months), or an hour "00".."23"
  (the heatmap, whose series are the weekdays Mon..Sun).
- `figures` are the panel's other numbers (e.g. median and p90, business and wall-clock);
  they are not plotted and are not in the CSV.
- Only counts and rates: no names, numbers, message text (no PHI).
"""

from __future__ import annotations

from typing import Literal

from assistant.api.schemas.common import PublicModel, Timestamp

PanelKey = Literal[
    "conversations_per_day",
    "message_heatmap",
    "containment",
    "handoffs_by_reason",
    "first_reply",
    "self_service",
    "calls",
    "reminders",
    "no_shows",
    "rebooking",
    "follow_ups",
    "dropped_off",
    "retention",
]
ChannelFilter = Literal["all", "web", "sms", "voice"]
Unit = Literal["count", "percent", "minutes"]


class HeadlinePublic(PublicModel):
    value: float | None  # None: nothing to measure in the range
    unit: Unit
    label: str


class FigurePublic(PublicModel):
    key: str
    label: str
    value: float | None
    unit: Unit


class PointPublic(PublicModel):
    x: str
    y: float | None  # None: a rate with no denominator in that bucket


class SeriesPublic(PublicModel):
    key: str
    name: str
    points: list[PointPublic]


class TablePublic(PublicModel):
    caption: str
    columns: list[str]
    rows: list[list[str | float | None]]


class LinkPublic(PublicModel):
    label: str
    href: str


class PanelPublic(PublicModel):
    key: PanelKey
    title: str
    definition: str
    group: Literal["owner", "queue_health"]
    status: Literal["ok", "not_yet_used"]
    chart: Literal["stacked_bar", "bar", "line", "heatmap"]
    unit: Unit
    headline: HeadlinePublic
    figures: list[FigurePublic]
    x_label: str
    series: list[SeriesPublic]
    table: TablePublic
    links: list[LinkPublic]


class InsightsRangePublic(PublicModel):
    date_from: str  # local date "YYYY-MM-DD", inclusive
    date_to: str  # local date, inclusive
    days: int
    bucket: Literal["day", "week"]
    channel: ChannelFilter
    timezone: str  # the practice's IANA zone: days, weeks and hours are local to it


class InsightsPublic(PublicModel):
    practice_name: str
    range: InsightsRangePublic
    scope: Literal["owner", "queue_health"]  # queue_health: a rep who is not an admin
    generated_at: Timestamp
    panels: list[PanelPublic]
