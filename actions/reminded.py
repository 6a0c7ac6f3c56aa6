"""Natural replies to an outreach text ("yes see you then", "can we do later", "i cant make
it", or "yes" to "we missed you today - want to find a new time?"): the session the text was
about is the one meant, and if it was moved or cancelled meanwhile the client is told so.

The reply context comes from the store (services/outreach_replies.py via the turn), so it
needs no slot: a question the bot asked BEFORE the outreach text went out is stale, and the
text is what the client now answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rasa_sdk.events import EventType

from actions.base import Turn, clear_pending, yes_no_buttons
from actions.tracker_values import slot_set_at
from assistant.services.outreach_replies import ReplyContext, Standing
from assistant.store.models import Appointment
from assistant.wording.catalog import text


@dataclass(frozen=True)
class SessionInQuestion:
    """The session a reschedule or cancel request is about, and what to say first."""

    appointment: Appointment | None
    note: str = ""  # "That session was moved to ..."
    cancelled: bool = False  # the reminded session was cancelled: offer a new booking instead


def reply_context(turn: Turn) -> ReplyContext | None:
    return turn.services.reply_context()


def current_task(turn: Turn, context: ReplyContext | None) -> str | None:
    """The pending task on the client's screen, unless an outreach text came after it."""
    task = turn.slot_text("pending_task")
    if task is None or context is None:
        return task
    set_at = slot_set_at(turn.tracker, "pending_task")
    return task if set_at is not None and set_at >= context.sent_at.timestamp() else None


def session_in_question(turn: Turn) -> SessionInQuestion:
    """The reminded session when the client is answering a reminder, else their next one."""
    context = reply_context(turn)
    if context is None or not context.about_a_booked_session or context.standing in (None, Standing.PAST):
        return SessionInQuestion(turn.next_appointment())
    if context.standing is Standing.CANCELLED:
        return SessionInQuestion(None, text("outreach.reply.cancelled"), cancelled=True)
    current = context.current
    assert current is not None  # booked or moved: the session it is now
    if context.standing is Standing.MOVED:
        return SessionInQuestion(current, text("outreach.reply.moved", when=turn.when(current.starts_at)))
    return SessionInQuestion(current)


def in_question_or_explain(turn: Turn) -> SessionInQuestion:
    """`session_in_question`; when there is none, the client is told (and offered a booking)."""
    target = session_in_question(turn)
    if target.appointment is None:
        turn.say(target.note if target.cancelled else text("appointment.none_offer_booking"), buttons=yes_no_buttons())
    return target


def reminded_and_changeable(context: ReplyContext | None) -> Appointment | None:
    """The reminded session, still booked (perhaps at a new time), for "can we do later"."""
    if context is None or not context.about_a_booked_session:
        return None
    return context.current


def answer_yes(
    turn: Turn, context: ReplyContext, offer_booking: Callable[[], list[EventType]]
) -> list[EventType] | None:
    """ "Yes" with nothing else pending, to the outreach text: None when it answers nothing.

    To a reminder: confirmed (or: it was moved; or: it was cancelled, so yes means a new
    time).  To a follow-up ("want to find a new time?"): real open times to book."""
    if not context.about_a_booked_session or context.standing is Standing.CANCELLED:
        return offer_booking()
    current = context.current
    if current is None:  # past, or a text about no session: an ordinary "yes"
        return None
    if context.standing is Standing.MOVED:
        turn.say(text("outreach.reply.moved", when=turn.when(current.starts_at)))
        return []
    confirmed = turn.services.confirm(context)
    turn.say(text("outreach.reply.confirmed", when=turn.when(confirmed.starts_at)))
    return clear_pending()
