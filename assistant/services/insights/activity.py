"""Volume: conversations per day by channel, and when clients write (weekday x hour).

Both aggregate in the database by the practice's local day, or weekday and hour (sql.py).
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.services.insights.filters import CHANNEL_NAMES, channel_clause, channels, in_period
from assistant.services.insights.panel import Headline, Panel, PanelText, make_panel, make_series
from assistant.services.insights.sql import day_key, weekday_hour
from assistant.services.insights.window import InsightsWindow
from assistant.store.models import Author, Channel, Conversation, Message, Practice

CONVERSATIONS = PanelText(
    key="conversations_per_day",
    title="Conversations",
    definition="Conversations started, by channel (web chat, SMS, phone), per day or week.",
    group="queue_health",
    chart="stacked_bar",
    unit="count",
)
HEATMAP = PanelText(
    key="message_heatmap",
    title="When clients write",
    definition="Messages from clients by weekday and hour of the day (practice time), for staffing.",
    group="queue_health",
    chart="heatmap",
    unit="count",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS = [f"{hour:02d}" for hour in range(24)]


def conversations_per_day(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    """Conversations started in the period (`conversations.created_at`), per channel and bucket."""
    key = day_key(session, Conversation.created_at, window)
    rows = session.execute(
        select(Conversation.channel, key, func.count())
        .where(Conversation.practice_id == practice.id, in_period(Conversation.created_at, window))
        .where(channel_clause(window))
        .group_by(Conversation.channel, key)
    ).all()
    counts: dict[Channel, Counter[str]] = {channel: Counter() for channel in channels(window)}
    for channel, day, count in rows:
        counts[channel][window.bucket_of_day(day)] += count
    xs = window.buckets()
    series = [make_series(c.value, CHANNEL_NAMES[c], xs, dict(counts[c])) for c in channels(window)]
    total = sum(sum(counter.values()) for counter in counts.values())
    return make_panel(
        CONVERSATIONS,
        x_label=window.x_label,
        series=series,
        headline=Headline(float(total), "count", "conversations"),
        has_data=total > 0,
    )


def message_heatmap(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    """Client-written messages (`author = client`) in the period, by local weekday and hour."""
    weekday, hour = weekday_hour(session, Message.created_at, window)
    rows = session.execute(
        select(weekday, hour, func.count())
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.practice_id == practice.id, channel_clause(window))
        .where(Message.author == Author.CLIENT, in_period(Message.created_at, window))
        .group_by(weekday, hour)
    ).all()
    cells: dict[str, Counter[str]] = {day: Counter() for day in WEEKDAYS}
    for day_number, hour_number, count in rows:
        cells[WEEKDAYS[int(day_number)]][f"{int(hour_number):02d}"] += count
    series = [make_series(day.lower(), day, HOURS, dict(cells[day])) for day in WEEKDAYS]
    total = sum(sum(counter.values()) for counter in cells.values())
    busiest = max(((c, d, h) for d, counter in cells.items() for h, c in counter.items()), default=None)
    label = f"client messages; busiest {busiest[1]} {busiest[2]}:00" if busiest else "client messages"
    return make_panel(
        HEATMAP,
        x_label="Hour",
        series=series,
        headline=Headline(float(total), "count", label),
        has_data=total > 0,
    )
