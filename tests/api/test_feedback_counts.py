"""The thumbs counted per practice and period (services/conversation_feedback.counts), as the
insights page reads them: only answered questions, only the practice's, only the period's."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from assistant.services.conversation_feedback import FeedbackCounts, counts
from assistant.store.engine import session_scope
from assistant.store.models import (
    Channel,
    Conversation,
    ConversationFeedback,
    HandoffReason,
    HandoffTicket,
    Practice,
    TicketState,
)

START = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
END = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _asked(session, practice_id: int, rating: str | None, answered_at: dt.datetime | None) -> None:
    conversation = Conversation(practice_id=practice_id, channel=Channel.WEB)
    session.add(conversation)
    session.flush()
    ticket = HandoffTicket(conversation_id=conversation.id, reason=HandoffReason.REQUESTED, state=TicketState.CLOSED)
    session.add(ticket)
    session.flush()
    session.add(
        ConversationFeedback(
            practice_id=practice_id,
            conversation_id=conversation.id,
            ticket_id=ticket.id,
            asked_at=answered_at or START,
            rating=rating,
            answered_at=answered_at,
        )
    )


def test_counts_up_and_down_of_one_practice_in_a_period(demo_database_url: str) -> None:
    with session_scope(demo_database_url) as session:
        lakeside = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        other = Practice(slug="feedback-other", name="Elsewhere", timezone="America/Chicago")
        session.add(other)
        session.flush()
        inside = START + dt.timedelta(days=3)
        for rating in ("up", "up", "up", "down"):
            _asked(session, lakeside.id, rating, inside)
        _asked(session, lakeside.id, None, None)  # asked, never answered
        _asked(session, lakeside.id, "down", END)  # the period's end is excluded
        _asked(session, lakeside.id, "up", START - dt.timedelta(seconds=1))
        _asked(session, other.id, "down", inside)  # another practice's
        lakeside_id, other_id = lakeside.id, other.id
    with session_scope(demo_database_url) as session:
        assert counts(session, lakeside_id, START, END) == FeedbackCounts(up=3, down=1)
        assert counts(session, other_id, START, END) == FeedbackCounts(up=0, down=1)
        assert counts(session, lakeside_id, END, END + dt.timedelta(days=1)) == FeedbackCounts(up=0, down=1)
