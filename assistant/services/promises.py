"""What a handed-off client is promised, from the practice's hours and response window.

Thin store-aware wrappers around the pure `assistant.scheduling.hours` (which promise
applies, and when) and `assistant.wording.promises` (how it is said): the bot's hand-off
reply, the "still waiting" reply, the phone's call-back promise, and the due time the
console's timers count down to all come from here, so they always agree.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from assistant.conversation.state import current_ticket
from assistant.logs import get_logger
from assistant.scheduling import hours
from assistant.store.models import Conversation, Practice, utcnow
from assistant.wording import promises as promise_wording
from assistant.wording.catalog import text

log = get_logger("services.promises")


def practice_hours(practice: Practice) -> hours.BusinessHours:
    try:
        return hours.parse_business_hours(practice.business_hours, practice.timezone)
    except hours.HoursError:
        # Admin input is validated; a hand-edited database must not break hand-offs.
        log.warning("business_hours_invalid", practice=practice.id)
        return hours.parse_business_hours({}, practice.timezone)


def promise_for(practice: Practice, now: dt.datetime, since: dt.datetime | None = None) -> hours.Promise:
    return hours.promise(practice_hours(practice), now, practice.response_window_minutes, since)


def handoff_reply(practice: Practice, wording: str = "handoff.ack", now: dt.datetime | None = None) -> str:
    """The catalog's hand-off reply `wording` with an honest `{promise}` of when a person
    will answer (within the window, by a time, or when we reopen)."""
    now = now or utcnow()
    return text(wording, promise=promise_wording.handoff_promise(promise_for(practice, now), now))


def callback_promise(practice: Practice, now: dt.datetime | None = None) -> str:
    """The phone's `{promise}`, said aloud: "a person will call you back within about an hour",
    "... by 4:30 PM today", "we're closed right now, so a person will call you back by 10 AM
    tomorrow" (no zone abbreviation; a later day by its weekday)."""
    now = now or utcnow()
    return promise_wording.callback_promise(promise_for(practice, now), now)


def reply_due_at(practice: Practice, since: dt.datetime) -> dt.datetime | None:
    return hours.add_staffed_minutes(practice_hours(practice), since, practice.response_window_minutes)


def waiting_reply(session: Session, conversation: Conversation, now: dt.datetime | None = None) -> str:
    """What the client hears when writing again before a person has picked the conversation up."""
    now = now or utcnow()
    practice = conversation.practice
    ticket = current_ticket(session, conversation.id)
    since = ticket.created_at if ticket is not None else now
    return promise_wording.waiting_text(promise_for(practice, now, since), now)
