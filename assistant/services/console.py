"""What reps do with handed-off conversations: the queue, the transcript, claim,
reply, private notes, resolve.  The conversation's state machine is owned here
(and by the gateway's turn routing):

    bot -> handoff_pending -> with_rep -> resolved (-> bot on the next client message)
                                       \\-> bot (returned to the bot by the rep)

Claiming is settled by the database: a conditional UPDATE ... WHERE state = 'open'
and its row count, so of two reps claiming at once exactly one wins.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assistant.dialogue.outbound import send_to_client
from assistant.services import audit
from assistant.services.appointments import format_slot, next_appointment
from assistant.services.conversations import touch
from assistant.services.promises import reply_due_at
from assistant.services.secret_masking import mask_link_shapes, mask_links
from assistant.store.models import (
    Appointment,
    AuditEvent,
    Author,
    CannedResponse,
    Channel,
    Client,
    Conversation,
    ConversationState,
    HandoffTicket,
    Message,
    Modality,
    Practice,
    Rep,
    RepRole,
    SmsOptOut,
    TicketNote,
    TicketState,
    utcnow,
)

QUEUE_STATES = (ConversationState.HANDOFF_PENDING, ConversationState.WITH_REP)
TRANSCRIPT_LIMIT = 500
QUEUE_LIMIT = 200
# A rep keeping a transcript open gets its new messages without a new audit row each time;
# reading a conversation is still audited at least this often.
INCREMENTAL_AUDIT_EVERY = dt.timedelta(minutes=10)


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


def current_ticket(session: Session, conversation_id: str) -> HandoffTicket | None:
    """The conversation's ticket that is not closed yet (open or claimed)."""
    return session.scalars(
        select(HandoffTicket)
        .where(HandoffTicket.conversation_id == conversation_id,
               HandoffTicket.state != TicketState.CLOSED)
        .order_by(HandoffTicket.id.desc())).first()


def latest_ticket(session: Session, conversation_id: str) -> HandoffTicket | None:
    return session.scalars(
        select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id)
        .order_by(HandoffTicket.id.desc())).first()


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.timezone.utc).isoformat() if moment else None


def _rep_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Rep.id, Rep.display_name).where(Rep.id.in_(ids))).all())


def _client_label(conversation: Conversation, client: Client | None) -> str:
    if client is not None:
        return client.full_name
    if conversation.channel is Channel.SMS and conversation.address:
        return f"Unverified texter {conversation.address}"
    return "Unverified web visitor"


def _ticket_summary(ticket: HandoffTicket, practice: Practice, names: dict[int, str]) -> dict[str, Any]:
    claimed_by = ticket.claimed_by_rep_id
    return {
        "id": ticket.id,
        "reason": ticket.reason.value,
        "priority": ticket.priority,
        "state": ticket.state.value,
        "created_at": _iso(ticket.created_at),
        "reply_due_at": _iso(reply_due_at(practice, ticket.created_at)),
        "claimed_by": {"id": claimed_by, "display_name": names.get(claimed_by, "")} if claimed_by else None,
        "claimed_at": _iso(ticket.claimed_at),
        "closed_at": _iso(ticket.closed_at),
    }


def queue(session: Session, practice: Practice,
          states: tuple[ConversationState, ...] = QUEUE_STATES) -> list[dict[str, Any]]:
    """Handed-off conversations, most urgent first, then the longest waiting.

    Only metadata: no message text, so reading the queue is not reading a transcript.
    """
    if ConversationState.RESOLVED in states:
        ticket_filter = HandoffTicket.id.in_(
            select(func.max(HandoffTicket.id)).group_by(HandoffTicket.conversation_id))
    else:
        ticket_filter = HandoffTicket.state != TicketState.CLOSED
    rows = session.execute(
        select(Conversation, HandoffTicket)
        .join(HandoffTicket, HandoffTicket.conversation_id == Conversation.id)
        .where(Conversation.practice_id == practice.id, Conversation.state.in_(states), ticket_filter)
        .order_by(HandoffTicket.priority, HandoffTicket.created_at, HandoffTicket.id)
        .limit(QUEUE_LIMIT * 2)).all()
    seen: set[str] = set()
    picked: list[tuple[Conversation, HandoffTicket]] = []
    for conversation, ticket in rows:
        if conversation.id not in seen:
            seen.add(conversation.id)
            picked.append((conversation, ticket))
    picked = picked[:QUEUE_LIMIT]
    ids = [conversation.id for conversation, _ in picked]
    last_ids = dict(session.execute(
        select(Message.conversation_id, func.max(Message.id))
        .where(Message.conversation_id.in_(ids)).group_by(Message.conversation_id)).all()) if ids else {}
    clients = {client.id: client for client in session.scalars(
        select(Client).where(Client.id.in_({c.client_id for c, _ in picked if c.client_id})))}
    names = _rep_names(session, {t.claimed_by_rep_id for _, t in picked if t.claimed_by_rep_id})
    items = []
    for conversation, ticket in picked:
        client = clients.get(conversation.client_id) if conversation.client_id else None
        items.append({
            "id": conversation.id,
            "channel": conversation.channel.value,
            "state": conversation.state.value,
            "client": {"id": client.id if client else None,
                       "label": _client_label(conversation, client),
                       "verified": client is not None},
            "ticket": _ticket_summary(ticket, practice, names),
            "waiting_since": _iso(ticket.created_at),
            "last_message_id": last_ids.get(conversation.id, 0),
            "last_activity_at": _iso(conversation.last_activity_at),
        })
    return items


def describe_appointment(appointment: Appointment, practice: Practice, *,
                         with_clinician: bool) -> str:
    how = "by video" if appointment.modality is Modality.TELEHEALTH else "in person"
    who = f" with {appointment.clinician.display_name}" if with_clinician else ""
    return f"{format_slot(appointment.starts_at, ZoneInfo(practice.timezone))} {how}{who}"


def client_summary(session: Session, conversation: Conversation, practice: Practice,
                   now: dt.datetime) -> dict[str, Any]:
    client = session.get(Client, conversation.client_id) if conversation.client_id else None
    summary: dict[str, Any] = {
        "verified": client is not None,
        "label": _client_label(conversation, client),
        "id": None, "name": None, "first_name": None, "mobile": None, "email": None,
        "next_appointment": None, "next_appointment_for_client": None,
    }
    if client is None:
        summary["mobile"] = conversation.address if conversation.channel is Channel.SMS else None
        return summary
    upcoming = next_appointment(session, client.id, now)
    summary.update(id=client.id, name=client.full_name, first_name=client.first_name,
                   mobile=client.mobile_e164, email=client.email)
    if upcoming is not None:
        summary["next_appointment"] = describe_appointment(upcoming, practice, with_clinician=True)
        # What may be said to the client on this channel (texts may leave the clinician out).
        private_sms = conversation.channel is Channel.SMS and not practice.sms_clinical_details_allowed
        summary["next_appointment_for_client"] = describe_appointment(
            upcoming, practice, with_clinician=not private_sms)
    return summary


_VARIABLE = re.compile(r"\{([a-z_]+)\}")


def canned_variables(summary: dict[str, Any], practice: Practice) -> dict[str, str]:
    return {
        "client_first_name": summary.get("first_name") or "there",
        "next_appointment": summary.get("next_appointment_for_client") or "no upcoming session",
        "practice_name": practice.name,
    }


def render_canned(body: str, variables: dict[str, str]) -> str:
    """Fill known {variables}; anything else in braces is left exactly as written."""
    return _VARIABLE.sub(lambda match: variables.get(match.group(1), match.group(0)), body)


def _message_out(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "direction": message.direction.value,
        "author": message.author.value,
        "text": message.text,
        "buttons": message.buttons or [],
        "redactions": message.redactions or [],
        "media_count": len(message.media or []),
        "status": message.status.value,
        "created_at": _iso(message.created_at),
    }


def _messages(session: Session, conversation_id: str, after: int = 0) -> list[dict[str, Any]]:
    newest = list(session.scalars(
        select(Message).where(Message.conversation_id == conversation_id, Message.id > after)
        .order_by(Message.id.desc()).limit(TRANSCRIPT_LIMIT)))
    return [_message_out(message) for message in reversed(newest)]


def _permissions(rep: Rep, conversation: Conversation, ticket: HandoffTicket | None) -> dict[str, bool]:
    mine = ticket is not None and ticket.claimed_by_rep_id == rep.id
    return {
        "can_claim": ticket is not None and ticket.state is TicketState.OPEN,
        "can_reply": mine and conversation.state is ConversationState.WITH_REP,
        "can_resolve": ticket is not None and (
            mine or (rep.role is RepRole.ADMIN and ticket.state is not TicketState.CLOSED)),
        "claimed_by_me": mine,
    }


def conversation_detail(session: Session, conversation: Conversation, rep: Rep, *,
                        request_id: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything a rep needs to answer; every call is written to the audit log."""
    require_same_practice(rep, conversation)
    now = now or utcnow()
    practice = session.get(Practice, conversation.practice_id)
    assert practice is not None
    ticket = current_ticket(session, conversation.id) or latest_ticket(session, conversation.id)
    tickets = list(session.scalars(select(HandoffTicket).where(
        HandoffTicket.conversation_id == conversation.id).order_by(HandoffTicket.id)))
    notes = list(session.scalars(select(TicketNote).where(
        TicketNote.conversation_id == conversation.id).order_by(TicketNote.id)))
    names = _rep_names(session, {t.claimed_by_rep_id for t in tickets if t.claimed_by_rep_id}
                       | {note.rep_id for note in notes})
    summary = client_summary(session, conversation, practice, now)
    variables = canned_variables(summary, practice)
    canned = session.scalars(select(CannedResponse).where(
        CannedResponse.practice_id == practice.id).order_by(CannedResponse.title, CannedResponse.id))
    audit.record(session, actor=actor(rep), action="transcript_viewed", subject_type="conversation",
                 subject_id=conversation.id, request_id=request_id, at=now)
    ticket_out = None
    if ticket is not None:
        ticket_out = {**_ticket_summary(ticket, practice, names),
                      "nlu_confidence": ticket.nlu_confidence,
                      "top_intents": ticket.top_intents or [],
                      # Free-form: masked as a precaution (nothing puts a link there today).
                      "context": mask_link_shapes(ticket.context or {})}
    return {
        "conversation": {"id": conversation.id, "channel": conversation.channel.value,
                         "state": conversation.state.value,
                         "created_at": _iso(conversation.created_at),
                         "last_activity_at": _iso(conversation.last_activity_at)},
        "client": summary,
        "ticket": ticket_out,
        "tickets": [{"id": t.id, "reason": t.reason.value, "state": t.state.value,
                     "created_at": _iso(t.created_at), "closed_at": _iso(t.closed_at)} for t in tickets],
        "messages": _messages(session, conversation.id),
        "notes": [{"id": note.id, "rep": names.get(note.rep_id, ""), "text": note.text,
                   "created_at": _iso(note.created_at)} for note in notes],
        "canned_responses": [{"id": item.id, "title": item.title,
                              "text": render_canned(item.body, variables)} for item in canned],
        "practice": {"name": practice.name, "timezone": practice.timezone,
                     "response_window_minutes": practice.response_window_minutes},
        "permissions": _permissions(rep, conversation, ticket),
        "now": _iso(now),
    }


def new_messages(session: Session, conversation: Conversation, rep: Rep, after: int, *,
                 request_id: str | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """Messages newer than `after`, for a transcript the rep already has open.

    Still a read of the transcript, so it is audited too, at most every few minutes per rep.
    """
    require_same_practice(rep, conversation)
    now = now or utcnow()
    recent = session.scalars(select(AuditEvent.id).where(
        AuditEvent.actor == actor(rep), AuditEvent.action == "transcript_viewed",
        AuditEvent.subject_type == "conversation", AuditEvent.subject_id == conversation.id,
        AuditEvent.at > now - INCREMENTAL_AUDIT_EVERY)).first()
    if recent is None:
        audit.record(session, actor=actor(rep), action="transcript_viewed",
                     subject_type="conversation", subject_id=conversation.id,
                     details={"incremental": True}, request_id=request_id, at=now)
    ticket = current_ticket(session, conversation.id) or latest_ticket(session, conversation.id)
    return {"messages": _messages(session, conversation.id, after),
            "state": conversation.state.value,
            "permissions": _permissions(rep, conversation, ticket)}


def claim(session: Session, conversation: Conversation, rep: Rep, *,
          request_id: str | None = None, now: dt.datetime | None = None) -> HandoffTicket:
    """Take the conversation; Conflict if another rep has it or nothing is waiting."""
    require_same_practice(rep, conversation)
    now = now or utcnow()
    ticket = current_ticket(session, conversation.id)
    if ticket is None:
        raise Conflict("no hand-off is waiting in this conversation")
    if ticket.state is TicketState.CLAIMED and ticket.claimed_by_rep_id == rep.id:
        return ticket  # claiming twice is harmless
    won = session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket.id, HandoffTicket.state == TicketState.OPEN)
        .values(state=TicketState.CLAIMED, claimed_by_rep_id=rep.id, claimed_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if won != 1:
        raise Conflict("another rep has already claimed this conversation")
    session.execute(
        update(Conversation).where(Conversation.id == conversation.id)
        .values(state=ConversationState.WITH_REP).execution_options(synchronize_session=False))
    session.refresh(ticket)
    session.refresh(conversation)
    audit.record(session, actor=actor(rep), action="handoff_claimed", subject_type="conversation",
                 subject_id=conversation.id, details={"ticket": ticket.id}, request_id=request_id, at=now)
    return ticket


def _owned_ticket(session: Session, conversation: Conversation, rep: Rep) -> HandoffTicket:
    ticket = current_ticket(session, conversation.id)
    if ticket is None or ticket.state is not TicketState.CLAIMED:
        raise Conflict("claim the conversation first")
    if ticket.claimed_by_rep_id != rep.id:
        raise NotAllowed("another rep is handling this conversation")
    return ticket


def reply(session: Session, conversation: Conversation, rep: Rep, text: str, *,
          request_id: str | None = None) -> Message:
    """Send the rep's words to the client on the client's own channel (web chat or SMS)."""
    require_same_practice(rep, conversation)
    _owned_ticket(session, conversation, rep)
    if conversation.state is not ConversationState.WITH_REP:
        raise Conflict("this conversation is not with a rep")
    if conversation.channel is Channel.SMS and conversation.address and session.get(
            SmsOptOut, (conversation.practice_id, conversation.address)) is not None:
        raise Conflict("this number has opted out of texts (STOP); call the client instead")
    if conversation.channel is Channel.WEB and conversation.token_hash is None:
        # An ended chat (or an internal alert conversation): no widget will ever show it.
        raise Conflict("nobody can read a reply here: this web chat has ended; "
                       "call or text the client instead")
    message = send_to_client(session, conversation, text, author=Author.REP, request_id=request_id)
    touch(conversation)
    audit.record(session, actor=actor(rep), action="rep_replied", subject_type="conversation",
                 subject_id=conversation.id, details={"message": message.id}, request_id=request_id)
    return message


def add_note(session: Session, conversation: Conversation, rep: Rep, text: str, *,
             request_id: str | None = None) -> TicketNote:
    require_same_practice(rep, conversation)
    ticket = current_ticket(session, conversation.id) or latest_ticket(session, conversation.id)
    practice = session.get(Practice, conversation.practice_id)
    assert practice is not None
    # Every rep reads the notes: a live link pasted into one would let any of them use it.
    note = TicketNote(conversation_id=conversation.id, ticket_id=ticket.id if ticket else None,
                      rep_id=rep.id, text=mask_links(session, practice, text), created_at=utcnow())
    session.add(note)
    session.flush()
    audit.record(session, actor=actor(rep), action="note_added", subject_type="conversation",
                 subject_id=conversation.id, details={"note": note.id}, request_id=request_id)
    return note


def resolve(session: Session, conversation: Conversation, rep: Rep, *, return_to_bot: bool,
            request_id: str | None = None, now: dt.datetime | None = None) -> HandoffTicket:
    """Close the ticket; the conversation goes back to the bot now or on the client's next message."""
    require_same_practice(rep, conversation)
    now = now or utcnow()
    ticket = current_ticket(session, conversation.id)
    if ticket is None:
        raise Conflict("nothing to resolve in this conversation")
    if rep.role is not RepRole.ADMIN:
        _owned_ticket(session, conversation, rep)
    closed = session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket.id, HandoffTicket.state != TicketState.CLOSED)
        .values(state=TicketState.CLOSED, closed_at=now, closed_by_rep_id=rep.id)
        .execution_options(synchronize_session=False)).rowcount
    if closed != 1:
        raise Conflict("this hand-off was already resolved")
    conversation.state = ConversationState.BOT if return_to_bot else ConversationState.RESOLVED
    session.flush()
    session.refresh(ticket)
    audit.record(session, actor=actor(rep), action="handoff_resolved", subject_type="conversation",
                 subject_id=conversation.id,
                 details={"ticket": ticket.id, "return_to_bot": return_to_bot},
                 request_id=request_id, at=now)
    return ticket


def events_snapshot(session: Session, practice_id: int) -> dict[str, Any]:
    practice = session.get(Practice, practice_id)
    assert practice is not None
    return {"queue": queue(session, practice), "now": _iso(utcnow()),
            "response_window_minutes": practice.response_window_minutes}
