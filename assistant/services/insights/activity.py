"""Volume: conversations per day by channel, and when clients write (weekday x hour).

Both aggregate in the database by the practice's local day (and hour: sql.py); settled days
are read from their roll-up (rollups.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.services.insights import rollups
from assistant.services.insights.filters import CHANNEL_NAMES, channel_clause, channels, in_period
from assistant.services.insights.panel import Headline, Panel, PanelText, make_panel, make_series
from assistant.services.insights.rollups import DayCounts
from assistant.services.insights.sql import day_hour_key, day_key
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


# Roll-up names (rollups.py): a day's conversations by channel; its client messages by
# channel and "weekday-hour".
CONVERSATIONS_ROLLUP = "conversations"
CLIENT_MESSAGES_ROLLUP = "client_messages"


def conversation_counts(session: Session, practice: Practice, window: InsightsWindow) -> DayCounts:
    """Conversations started in the period (`conversations.created_at`), per local day and channel."""
    key = day_key(session, Conversation.created_at, window)
    rows = session.execute(
        select(key, Conversation.channel, func.count())
        .where(Conversation.practice_id == practice.id, in_period(Conversation.created_at, window))
        .where(channel_clause(window))
        .group_by(key, Conversation.channel)
    ).all()
    return {(day, channel, ""): count for day, channel, count in rows}


def conversations_per_day(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    found = rollups.day_counts(
        session, practice, window, CONVERSATIONS_ROLLUP, lambda part: conversation_counts(session, practice, part)
    )
    counts: dict[Channel, Counter[str]] = {channel: Counter() for channel in channels(window)}
    for (day, channel, _), count in found.items():
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


def client_message_counts(session: Session, practice: Practice, window: InsightsWindow) -> DayCounts:
    """Client-written messages (`author = client`) in the period, per local day, channel and
    "weekday-hour" (Monday = 0: "0-09" is Monday 09:00-09:59)."""
    day_hour = day_hour_key(session, Message.created_at, window)
    rows = session.execute(
        select(day_hour, Conversation.channel, func.count())
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.practice_id == practice.id, channel_clause(window))
        .where(Message.author == Author.CLIENT, in_period(Message.created_at, window))
        .group_by(day_hour, Conversation.channel)
    ).all()
    found: DayCounts = {}
    for key, channel, count in rows:
        day, hour = key.split(" ")
        found[(day, channel, f"{dt.date.fromisoformat(day).weekday()}-{hour}")] = count
    return found


def message_heatmap(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    """Client-written messages in the period, by local weekday and hour."""
    found = rollups.day_counts(
        session,
        practice,
        window,
        CLIENT_MESSAGES_ROLLUP,
        lambda part: client_message_counts(session, practice, part),
        by_day=False,
    )
    cells: dict[str, Counter[str]] = {day: Counter() for day in WEEKDAYS}
    for (_, _, weekday_hour), count in found.items():
        day_number, hour = weekday_hour.split("-")
        cells[WEEKDAYS[int(day_number)]][hour] += count
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
