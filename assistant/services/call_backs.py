"""Calling a caller back: the rep who has the call's conversation records that they rang
the client, and when; a line in the transcript says so for every other rep.

Calling back does not close the ticket: the rep resolves it as usual once it is settled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from assistant.conversation.state import current_ticket
from assistant.services import audit
from assistant.services.call_views import call_back_number, call_of, view_of_call
from assistant.services.console import Conflict, NotAllowed, actor, require_same_practice
from assistant.services.console_reads import message_view
from assistant.services.console_views import CallView, MessageView
from assistant.store.models import (
    Author,
    Channel,
    Client,
    Conversation,
    Direction,
    Message,
    MessageStatus,
    Rep,
    TicketState,
    utcnow,
)
from assistant.wording import formats


@dataclass(frozen=True)
class CallBack:
    conversation_id: str
    state: str
    number: str  # what the rep dials (a tel: link in the console)
    call: CallView
    note: MessageView  # the transcript line saying who called back when


def record_call_back(
    session: Session,
    conversation: Conversation,
    rep: Rep,
    *,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> CallBack:
    """Record that `rep` is calling the caller back now.

    Like a reply, it is the job of the rep who claimed the conversation (two reps ringing
    one client is what claiming prevents).  Conflict when it is not a call, nobody has
    claimed it, or there is no number to ring; NotAllowed when another rep has it."""
    require_same_practice(rep, conversation)
    now = now or utcnow()
    call = call_of(session, conversation) if conversation.channel is Channel.VOICE else None
    if call is None:
        raise Conflict("this conversation is not a phone call: reply in writing instead")
    ticket = current_ticket(session, conversation.id)
    if ticket is None or ticket.state is not TicketState.CLAIMED:
        raise Conflict("claim the conversation first")
    if ticket.claimed_by_rep_id != rep.id:
        raise NotAllowed("another rep is handling this conversation")
    client = session.get(Client, conversation.client_id) if conversation.client_id else None
    number = call_back_number(call, client)
    if number is None:
        raise Conflict("the caller withheld their number and is not a known client: there is no number to call back")
    call.called_back_at = now
    call.called_back_by_rep_id = rep.id
    when = formats.day_and_time(now, ZoneInfo(conversation.practice.timezone))
    # Only reps read this line: it is stored as already delivered and goes nowhere.
    note = Message(
        conversation_id=conversation.id,
        direction=Direction.OUTBOUND,
        author=Author.SYSTEM,
        text=f"Called back by {rep.display_name} at {when}",
        status=MessageStatus.SENT,
        created_at=now,
    )
    session.add(note)
    session.flush()
    audit.record(
        session,
        actor=actor(rep),
        action="called_back",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"call": call.id, "ticket": ticket.id, "message": note.id},
        request_id=request_id,
        at=now,
    )
    view = view_of_call(session, call, client)
    return CallBack(conversation.id, conversation.state.value, number, view, message_view(note))
