"""What a client waiting for a person is told, from the practice's own hours (store-backed)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from assistant.services.conversations import open_handoff
from assistant.services.promises import handoff_reply, reply_due_at, waiting_reply
from assistant.store.engine import session_scope
from assistant.store.models import Channel, Conversation, HandoffReason, Practice

NY = ZoneInfo("America/New_York")
FRIDAY_EVENING = dt.datetime(2026, 11, 27, 18, 30, tzinfo=NY)


def test_waiting_reply_counts_from_the_handoff(database_url: str) -> None:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).one()
        conversation = Conversation(practice_id=practice.id, channel=Channel.WEB)
        session.add(conversation)
        session.flush()
        ticket = open_handoff(session, conversation, HandoffReason.REQUESTED)
        ticket.created_at = FRIDAY_EVENING
        # Closed on Friday evening; Saturday 9-12 is staffed, so the reply is due Saturday 10:00.
        text = waiting_reply(session, conversation, now=FRIDAY_EVENING + dt.timedelta(minutes=5))
        assert text == (
            "Thanks, your message is with our team. We're closed right now; "
            "a person will reply here by Sat Nov 28, 10:00 AM ET."
        )
        late = waiting_reply(session, conversation, now=dt.datetime(2026, 11, 28, 10, 30, tzinfo=NY))
        assert late.startswith("Sorry for the wait")
        assert reply_due_at(practice, FRIDAY_EVENING) == dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC)


def test_hand_edited_bad_hours_do_not_break_a_handoff(database_url: str) -> None:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).one()
        practice.business_hours = {"mon": "nine to five"}
        text = handoff_reply(practice, "handoff.ack", FRIDAY_EVENING)
        assert "; a person will reply right here within about an hour. " in text
