"""Conditions every metric shares: the practice, the period, the channel filter."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, true

from assistant.services.insights.window import InsightsWindow
from assistant.store.models import Channel, Conversation

CHANNEL_NAMES = {Channel.WEB: "Web chat", Channel.SMS: "SMS", Channel.VOICE: "Voice"}


def channels(window: InsightsWindow) -> list[Channel]:
    """The channels the filter keeps, in display order."""
    return list(CHANNEL_NAMES) if window.channel == "all" else [Channel(window.channel)]


def channel_clause(window: InsightsWindow) -> ColumnElement[bool]:
    """Conversations on the filtered channel (everything when the filter is "all")."""
    return true() if window.channel == "all" else Conversation.channel == Channel(window.channel)


def in_period(column: Any, window: InsightsWindow) -> ColumnElement[bool]:
    result: ColumnElement[bool] = (column >= window.start) & (column < window.end)
    return result


def includes(window: InsightsWindow, channel: Channel) -> bool:
    return window.channel in ("all", channel.value)
