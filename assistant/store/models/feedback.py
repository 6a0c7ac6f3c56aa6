"""The client's answer to "Did we help?" after a rep resolved their conversation."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.store.models.base import Base, utcnow


class FeedbackRating(str, enum.Enum):
    UP = "up"
    DOWN = "down"


class ConversationFeedback(Base):
    """One row per resolution announced to the client (its ticket): asked when the rep resolves,
    answered at most once (rating and the optional comment are written together)."""

    __tablename__ = "conversation_feedback"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR rating IN ('up', 'down')", name="ck_conversation_feedback_rating"),
        Index("ix_conversation_feedback_conversation", "conversation_id"),
        Index("ix_conversation_feedback_practice_answered", "practice_id", "answered_at"),  # the counts
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("handoff_tickets.id"), unique=True)
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A plain string column (not enum_column): the CHECK above is the migration's own.
    rating: Mapped[str | None] = mapped_column(String(8))
    comment: Mapped[str | None] = mapped_column(Text)  # the client's words: never logged
    answered_at: Mapped[dt.datetime | None] = mapped_column()
