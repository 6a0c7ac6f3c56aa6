"""The client's answer to "Did we help?" (asked by services/closure.py when a rep resolves).

One answer per resolution: the first is stored, a second is refused (`AlreadyAnswered`), settled
by a conditional UPDATE so that two answers at once cannot both win.  The comment is the client's
own words: stored, never logged.  `counts` is what the insights page reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assistant.screen.redaction import redact
from assistant.store.models import Conversation, ConversationFeedback, FeedbackRating, utcnow
from assistant.store.statements import affected_rows


class FeedbackError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotAsked(FeedbackError):
    status_code = 404


class AlreadyAnswered(FeedbackError):
    status_code = 409


def open_question(session: Session, conversation: Conversation) -> ConversationFeedback | None:
    """The conversation's newest resolution if its question is still unanswered."""
    newest = session.scalars(
        select(ConversationFeedback)
        .where(ConversationFeedback.conversation_id == conversation.id)
        .order_by(ConversationFeedback.id.desc())
        .limit(1)
    ).first()
    return newest if newest is not None and newest.rating is None else None


def answer(
    session: Session,
    conversation: Conversation,
    resolution: int,
    rating: FeedbackRating,
    comment: str | None,
    *,
    now: dt.datetime | None = None,
) -> ConversationFeedback:
    """Store the answer to resolution `resolution` (its ticket id) of this conversation."""
    asked = session.scalars(
        select(ConversationFeedback).where(
            ConversationFeedback.conversation_id == conversation.id, ConversationFeedback.ticket_id == resolution
        )
    ).first()
    if asked is None:
        raise NotAsked("no question was asked for this resolution")
    # A comment is for the practice, not a place for a card number (the same screen as messages).
    kept = redact(comment).text if comment else None
    won = affected_rows(
        session,
        update(ConversationFeedback)
        .where(ConversationFeedback.id == asked.id, ConversationFeedback.rating.is_(None))
        .values(rating=rating.value, comment=kept, answered_at=now or utcnow())
        .execution_options(synchronize_session=False),
    )
    if won != 1:
        raise AlreadyAnswered("this question was already answered")
    session.refresh(asked)
    return asked


@dataclass(frozen=True)
class FeedbackCounts:
    up: int
    down: int


def counts(session: Session, practice_id: int, start: dt.datetime, end: dt.datetime) -> FeedbackCounts:
    """Thumbs up and down a practice's clients gave, answered in [start, end)."""
    rows = session.execute(
        select(ConversationFeedback.rating, func.count())
        .where(
            ConversationFeedback.practice_id == practice_id,
            ConversationFeedback.answered_at >= start,
            ConversationFeedback.answered_at < end,
            ConversationFeedback.rating.is_not(None),
        )
        .group_by(ConversationFeedback.rating)
    ).all()
    found = {rating: int(count) for rating, count in rows}
    return FeedbackCounts(up=found.get(FeedbackRating.UP.value, 0), down=found.get(FeedbackRating.DOWN.value, 0))
