"""The Monday summary: five headline numbers for last week (Monday to Sunday, the practice's
time) and their change from the week before, from the same panels the insights page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from assistant.services.insights import containment, handoffs, outreach_texts, sessions
from assistant.services.insights.panel import Panel
from assistant.services.insights.window import InsightsWindow
from assistant.store.models import Practice

# (label, the panel it comes from); "lower is better" decides how a change reads.
HEADLINES = (
    ("Containment (resolved by the bot)", "containment", False),
    ("Hand-offs answered within the promise", "first_reply", False),
    ("Reminders confirmed", "reminders", False),
    ("No-show rate", "no_shows", True),
    ("Cancellations rebooked within 7 days", "rebooking", False),
)


@dataclass(frozen=True)
class Headline:
    label: str
    value: float | None  # percent
    previous: float | None
    lower_is_better: bool

    @property
    def change(self) -> float | None:
        """Percentage points since the week before (None when either week has no data)."""
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)


@dataclass(frozen=True)
class WeeklySummary:
    practice_name: str
    week_from: dt.date
    week_to: dt.date
    headlines: list[Headline]


def last_week(today: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday-to-Sunday week before the one `today` is in."""
    monday = today - dt.timedelta(days=today.weekday() + 7)
    return monday, monday + dt.timedelta(days=6)


def _headline_values(
    session: Session, practice: Practice, window: InsightsWindow, now: dt.datetime
) -> dict[str, float | None]:
    panels: list[Panel] = [
        containment.containment(session, practice, window, now),
        handoffs.first_reply(session, practice, window, now),
        outreach_texts.reminders(session, practice, window),
        sessions.no_shows(session, practice, window),
        sessions.rebooking(session, practice, window, now),
    ]
    return {panel.key: panel.headline.value for panel in panels}


def weekly_summary(session: Session, practice: Practice, now: dt.datetime) -> WeeklySummary:
    zone = ZoneInfo(practice.timezone)
    first, last = last_week(now.astimezone(zone).date())
    week = InsightsWindow(first, last, zone)
    current = _headline_values(session, practice, week, now)
    previous = _headline_values(session, practice, week.previous(), now)
    return WeeklySummary(
        practice_name=practice.name,
        week_from=first,
        week_to=last,
        headlines=[Headline(label, current[key], previous[key], lower) for label, key, lower in HEADLINES],
    )
