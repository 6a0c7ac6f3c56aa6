"""Insights' daily roll-ups: a practice's settled days, counted once (services/insights/rollups.py).

A day is rolled up when nothing in it can change any more (its contacts are all judged); its
counts are then read from here instead of being recomputed from every message on each request.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.store.models.base import Base, utcnow


class InsightDay(Base):
    """A practice-local day whose counts are in `insight_day_counts` (a day with nothing in it
    has this row and no counts).  `timezone` is the practice's zone the day was cut in: after a
    change of zone the old rows are not read (and are rolled up again)."""

    __tablename__ = "insight_days"

    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    rolled_up_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InsightDayCount(Base):
    """One count of a rolled-up day: `metric` (rollups.METRICS), the conversation's channel, and
    the metric's own breakdown in `item` (an outcome, or "weekday-hour")."""

    __tablename__ = "insight_day_counts"

    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    item: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
