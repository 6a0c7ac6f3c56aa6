"""What reps do with a handed-off conversation: claim, reply, private notes, resolve.

State changes go through `assistant.conversation.state` (the one owner of the edges);
claiming is settled by the database there (a conditional UPDATE and its row count), so
of two reps claiming at once exactly one wins.  What reps read (the queue, the
transcript) is `console_reads`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_to_client
from assistant.conversation.state import (
    claim_ticket,
    close_ticket,
    current_ticket,
    latest_ticket,
    transition,
)
from assistant.services import audit
from assistant.services.closure import announce_closure
from assistant.services.conversations import touch
from assistant.services.secret_masking import mask_links
from assistant.services.sms_opt_outs import is_opted_out
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    ConversationState,
    HandoffTicket,
    Message,
    Rep,
    RepRole,
    TicketNote,
    TicketState,
    utcnow,
)


class ConsoleError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Conflict(ConsoleError):
    status_code = 409


class NotAllowed(ConsoleError):
    status_code = 403


def actor(rep: Rep) -> str:
    return f"rep:{rep.id}"


def require_same_practice(rep: Rep, conversation: Conversation) -> None:
    if conversation.practice_id != rep.practice_id:
        raise NotAllowed("this conversation belongs to another practice")


def claim(
    session: Session,
    conversation: Conversation,
    rep: Rep,
    *,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> HandoffTicket:
    """Take the conversation; Conflict if another rep has it or nothing is waiting."""
    require_same_practice(rep, conversation)
    now = now or utcnow()
    ticket = current_ticket(session, conversation.id)
    if ticket is None:
        raise Conflict("no hand-off is waiting in this conversation")
    if ticket.state is TicketState.CLAIMED and ticket.claimed_by_rep_id == rep.id:
        return ticket  # claiming twice is harmless
    if not claim_ticket(session, conversation, ticket, rep_id=rep.id, actor=actor(rep), now=now):
        raise Conflict("another rep has already claimed this conversation")
    session.refresh(ticket)
    session.refresh(conversation)
    audit.record(
        session,
        actor=actor(rep),
        action="handoff_claimed",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"ticket": ticket.id},
        request_id=request_id,
        at=now,
    )
    return ticket


def _owned_ticket(session: Session, conversation: Conversation, rep: Rep) -> HandoffTicket:
    ticket = current_ticket(session, conversation.id)
    if ticket is None or ticket.state is not TicketState.CLAIMED:
        raise Conflict("claim the conversation first")
    if ticket.claimed_by_rep_id != rep.id:
        raise NotAllowed("another rep is handling this conversation")
    return ticket


def reply(
    session: Session, conversation: Conversation, rep: Rep, text: str, *, request_id: str | None = None
) -> Message:
    """Send the rep's words to the client on the client's own channel (web chat or SMS)."""
    require_same_practice(rep, conversation)
    if conversation.channel is Channel.VOICE:
        # Nothing written reaches a caller: the call is over (services/call_backs.py).
        raise Conflict("This was a phone call: call the client back")
    _owned_ticket(session, conversation, rep)
    if conversation.state is not ConversationState.WITH_REP:
        raise Conflict("this conversation is not with a rep")
    if (
        conversation.channel is Channel.SMS
        and conversation.address
        and is_opted_out(session, conversation.practice_id, conversation.address)
    ):
        raise Conflict("this number has opted out of texts (STOP); call the client instead")
    if conversation.channel is Channel.WEB and conversation.token_hash is None:
        # An ended chat (or an internal alert conversation): no widget will ever show it.
        raise Conflict("nobody can read a reply here: this web chat has ended; call or text the client instead")
    message = send_to_client(session, conversation, text, author=Author.REP, request_id=request_id)
    touch(conversation)
    audit.record(
        session,
        actor=actor(rep),
        action="rep_replied",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"message": message.id},
        request_id=request_id,
    )
    return message


def add_note(
    session: Session, conversation: Conversation, rep: Rep, text: str, *, request_id: str | None = None
) -> TicketNote:
    require_same_practice(rep, conversation)
    ticket = current_ticket(session, conversation.id) or latest_ticket(session, conversation.id)
    practice = conversation.practice
    # Every rep reads the notes: a live link pasted into one would let any of them use it.
    note = TicketNote(
        conversation_id=conversation.id,
        ticket_id=ticket.id if ticket else None,
        rep_id=rep.id,
        text=mask_links(session, practice, text),
        created_at=utcnow(),
    )
    session.add(note)
    session.flush()
    audit.record(
        session,
        actor=actor(rep),
        action="note_added",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"note": note.id},
        request_id=request_id,
    )
    return note


def resolve(
    session: Session,
    conversation: Conversation,
    rep: Rep,
    *,
    return_to_bot: bool,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> HandoffTicket:
    """Close the ticket; the conversation goes back to the bot now or on the client's next message."""
    require_same_practice(rep, conversation)
    now = now or utcnow()
    ticket = current_ticket(session, conversation.id)
    if ticket is None:
        # A second click (or another rep's) once it is done: a clear 409 the console can show.
        if latest_ticket(session, conversation.id) is not None:
            raise Conflict("this conversation is already resolved")
        raise Conflict("nothing to resolve in this conversation")
    if rep.role is not RepRole.ADMIN:
        _owned_ticket(session, conversation, rep)
    if not close_ticket(session, ticket, rep_id=rep.id, now=now):
        raise Conflict("this hand-off was already resolved")
    transition(
        conversation,
        ConversationState.BOT if return_to_bot else ConversationState.RESOLVED,
        reason="resolved",
        actor=actor(rep),
    )
    session.flush()
    session.refresh(ticket)
    if not return_to_bot:
        # The client is told (web chat; SMS only if the practice wants it) and asked "Did we help?".
        announce_closure(session, conversation, ticket, rep, request_id=request_id)
    audit.record(
        session,
        actor=actor(rep),
        action="handoff_resolved",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"ticket": ticket.id, "return_to_bot": return_to_bot},
        request_id=request_id,
        at=now,
    )
    return ticket
