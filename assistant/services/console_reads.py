"""What reps read of one conversation: its transcript (newest messages first, then what
arrives while it is open), the client and ticket context, and canned replies filled in for
this client.  Every read of a transcript is audited.  The queue is console_queue.py."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.conversation.state import current_ticket, latest_ticket
from assistant.services import audit
from assistant.services.appointments import format_slot, next_appointment
from assistant.services.call_views import call_view
from assistant.services.console import actor, require_same_practice
from assistant.services.console_authors import reply_authors
from assistant.services.console_queue import client_label, rep_names, ticket_fields
from assistant.services.console_views import (
    CannedReply,
    ClientSummary,
    ConversationDetail,
    ConversationInfo,
    MessageView,
    NewMessages,
    NoteView,
    Permissions,
    PracticeInfo,
    TicketDetail,
    TicketHistoryEntry,
    iso,
)
from assistant.services.secret_masking import mask_link_shapes
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
    TicketNote,
    TicketState,
    utcnow,
)

TRANSCRIPT_LIMIT = 500


# A rep keeping a transcript open gets its new messages without a new audit row each time;
# reading a conversation is still audited at least this often.
INCREMENTAL_AUDIT_EVERY = dt.timedelta(minutes=10)


def ticket_detail(ticket: HandoffTicket, practice: Practice, names: dict[int, str]) -> TicketDetail:
    return TicketDetail(
        **ticket_fields(ticket, practice, names),
        nlu_confidence=ticket.nlu_confidence,
        top_intents=ticket.top_intents or [],
        # Free-form: masked as a precaution (nothing puts a link there today).
        context=mask_link_shapes(ticket.context or {}),
    )


def describe_appointment(appointment: Appointment, practice: Practice, *, with_clinician: bool) -> str:
    how = "by video" if appointment.modality is Modality.TELEHEALTH else "in person"
    who = f" with {appointment.clinician.display_name}" if with_clinician else ""
    return f"{format_slot(appointment.starts_at, ZoneInfo(practice.timezone))} {how}{who}"


def client_summary(session: Session, conversation: Conversation, practice: Practice, now: dt.datetime) -> ClientSummary:
    client = session.get(Client, conversation.client_id) if conversation.client_id else None
    label = client_label(conversation, client)
    if client is None:
        by_phone = conversation.channel in (Channel.SMS, Channel.VOICE)
        return ClientSummary(verified=False, label=label, mobile=conversation.address if by_phone else None)
    upcoming = next_appointment(session, client.id, now)
    for_rep = for_client = None
    if upcoming is not None:
        for_rep = describe_appointment(upcoming, practice, with_clinician=True)
        # What may be said to the client on this channel (texts may leave the clinician out).
        private_sms = conversation.channel is Channel.SMS and not practice.sms_clinical_details_allowed
        for_client = describe_appointment(upcoming, practice, with_clinician=not private_sms)
    return ClientSummary(
        verified=True,
        label=label,
        id=client.id,
        name=client.full_name,
        first_name=client.first_name,
        mobile=client.mobile_e164,
        email=client.email,
        next_appointment=for_rep,
        next_appointment_for_client=for_client,
    )


_VARIABLE = re.compile(r"\{([a-z_]+)\}")


def canned_variables(summary: ClientSummary, practice: Practice) -> dict[str, str]:
    return {
        "client_first_name": summary.first_name or "there",
        "next_appointment": summary.next_appointment_for_client or "no upcoming session",
        "practice_name": practice.name,
    }


def render_canned(body: str, variables: dict[str, str]) -> str:
    """Fill known {variables}; anything else in braces is left exactly as written."""
    return _VARIABLE.sub(lambda match: variables.get(match.group(1), match.group(0)), body)


def message_view(message: Message, rep_name: str | None = None) -> MessageView:
    """One transcript message as reps see it (also the answer to a rep's reply)."""
    return MessageView(
        id=message.id,
        direction=message.direction.value,
        author=message.author.value,
        text=message.text,
        buttons=message.buttons or [],
        redactions=message.redactions or [],
        media_count=len(message.media or []),
        status=message.status.value,
        created_at=iso(message.created_at),
        speech_confidence=message.speech_confidence,
        rep_name=rep_name,
    )


def _messages(session: Session, conversation_id: str, after: int = 0) -> list[MessageView]:
    newest = list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after)
            .order_by(Message.id.desc())
            .limit(TRANSCRIPT_LIMIT)
        )
    )
    authors = reply_authors(session, conversation_id) if any(m.author is Author.REP for m in newest) else {}
    return [message_view(message, authors.get(message.id)) for message in reversed(newest)]


def _permissions(rep: Rep, conversation: Conversation, ticket: HandoffTicket | None) -> Permissions:
    mine = ticket is not None and ticket.claimed_by_rep_id == rep.id
    is_call = conversation.channel is Channel.VOICE
    return Permissions(
        can_claim=ticket is not None and ticket.state is TicketState.OPEN,
        # A phone call cannot be answered in writing: the rep calls back instead.
        can_reply=mine and conversation.state is ConversationState.WITH_REP and not is_call,
        # A closed ticket has nothing left to resolve (the console turns Resolve off, not a 409).
        can_resolve=ticket is not None
        and ticket.state is not TicketState.CLOSED
        and (mine or rep.role is RepRole.ADMIN),
        claimed_by_me=mine,
        can_call_back=is_call and mine and ticket is not None and ticket.state is TicketState.CLAIMED,
    )


def conversation_detail(
    session: Session,
    conversation: Conversation,
    rep: Rep,
    *,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> ConversationDetail:
    """Everything a rep needs to answer; every call is written to the audit log."""
    require_same_practice(rep, conversation)
    now = now or utcnow()
    practice = conversation.practice
    ticket = current_ticket(session, conversation.id) or latest_ticket(session, conversation.id)
    tickets = list(
        session.scalars(
            select(HandoffTicket).where(HandoffTicket.conversation_id == conversation.id).order_by(HandoffTicket.id)
        )
    )
    notes = list(
        session.scalars(select(TicketNote).where(TicketNote.conversation_id == conversation.id).order_by(TicketNote.id))
    )
    names = rep_names(
        session, {t.claimed_by_rep_id for t in tickets if t.claimed_by_rep_id} | {note.rep_id for note in notes}
    )
    summary = client_summary(session, conversation, practice, now)
    variables = canned_variables(summary, practice)
    canned = session.scalars(
        select(CannedResponse)
        .where(CannedResponse.practice_id == practice.id)
        .order_by(CannedResponse.title, CannedResponse.id)
    )
    audit.record(
        session,
        actor=actor(rep),
        action="transcript_viewed",
        subject_type="conversation",
        subject_id=conversation.id,
        request_id=request_id,
        at=now,
    )
    return ConversationDetail(
        conversation=ConversationInfo(
            id=conversation.id,
            channel=conversation.channel.value,
            state=conversation.state.value,
            created_at=iso(conversation.created_at),
            last_activity_at=iso(conversation.last_activity_at),
        ),
        call=call_view(session, conversation) if conversation.channel is Channel.VOICE else None,
        client=summary,
        ticket=ticket_detail(ticket, practice, names) if ticket is not None else None,
        tickets=[
            TicketHistoryEntry(
                id=t.id,
                reason=t.reason.value,
                state=t.state.value,
                created_at=iso(t.created_at),
                closed_at=iso(t.closed_at),
            )
            for t in tickets
        ],
        messages=_messages(session, conversation.id),
        notes=[note_view(note, names.get(note.rep_id, "")) for note in notes],
        canned_responses=[
            CannedReply(id=item.id, title=item.title, text=render_canned(item.body, variables)) for item in canned
        ],
        practice=PracticeInfo(
            name=practice.name, timezone=practice.timezone, response_window_minutes=practice.response_window_minutes
        ),
        permissions=_permissions(rep, conversation, ticket),
        now=iso(now),
    )


def note_view(note: TicketNote, rep_name: str) -> NoteView:
    return NoteView(id=note.id, rep=rep_name, text=note.text, created_at=iso(note.created_at))


def new_messages(
    session: Session,
    conversation: Conversation,
    rep: Rep,
    after: int,
    *,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> NewMessages:
    """Messages newer than `after`, for a transcript the rep already has open.

    Still a read of the transcript, so it is audited too, at most every few minutes per rep.
    """
    require_same_practice(rep, conversation)
    now = now or utcnow()
    recent = session.scalars(
        select(AuditEvent.id).where(
            AuditEvent.actor == actor(rep),
            AuditEvent.action == "transcript_viewed",
            AuditEvent.subject_type == "conversation",
            AuditEvent.subject_id == conversation.id,
            AuditEvent.at > now - INCREMENTAL_AUDIT_EVERY,
        )
    ).first()
    if recent is None:
        audit.record(
            session,
            actor=actor(rep),
            action="transcript_viewed",
            subject_type="conversation",
            subject_id=conversation.id,
            details={"incremental": True},
            request_id=request_id,
            at=now,
        )
    ticket = current_ticket(session, conversation.id) or latest_ticket(session, conversation.id)
    return NewMessages(
        messages=_messages(session, conversation.id, after),
        state=conversation.state.value,
        permissions=_permissions(rep, conversation, ticket),
    )
