"""Phone calls in the store: one Twilio CallSid is one voice conversation.

Who is calling (the caller ID against the clients' numbers on file), what Twilio reports
about the call (status callbacks may come twice or out of order: each is applied once,
never backwards), and the texts a call leads to (a missed call gets one text-back).
The voicemail side lives in services/voicemail.py; TwiML in assistant/channels/voice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_sms
from assistant.conversation.state import close_ticket, current_ticket, transition
from assistant.logs import get_logger
from assistant.services import audit
from assistant.services.conversations import open_handoff
from assistant.services.promises import callback_promise
from assistant.services.sms_opt_outs import is_opted_out
from assistant.store.models import (
    Call,
    CallStage,
    Channel,
    Client,
    Conversation,
    ConversationState,
    Direction,
    HandoffReason,
    Message,
    MessageStatus,
    Practice,
    utcnow,
)
from assistant.store.statements import affected_rows
from assistant.wording.catalog import text

log = get_logger("services.calls")

# Twilio's CallStatus values, in the order a call goes through them; the last five end it.
STATUS_RANK = {"queued": 0, "initiated": 1, "ringing": 2, "in-progress": 3}
TERMINAL = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
ANSWERED = frozenset({"completed", "answered"})  # DialCallStatus of a transfer someone took
MISSED_TEXT_EVERY = dt.timedelta(hours=24)  # at most one missed-call text a day per number


def call_by_sid(session: Session, call_sid: str) -> Call | None:
    return session.scalars(select(Call).where(Call.call_sid == call_sid)).first()


def call_for_conversation(session: Session, conversation_id: str) -> Call | None:
    return session.scalars(select(Call).where(Call.conversation_id == conversation_id)).first()


def clients_with_number(session: Session, practice_id: int, number: str | None) -> list[Client]:
    if not number:
        return []
    return list(
        session.scalars(
            select(Client).where(Client.practice_id == practice_id, Client.mobile_e164 == number).order_by(Client.id)
        )
    )


def start_call(
    session: Session,
    practice: Practice,
    *,
    call_sid: str,
    from_number: str | None,
    to_number: str | None,
    now: dt.datetime | None = None,
) -> tuple[Call, bool]:
    """The call's row, created (with its conversation) on the first webhook; True if new.

    A caller ID on file for one client makes that client the *likely* caller: nothing is
    disclosed until the date of birth confirms it (channels/voice/adapter.py).  A number
    several clients share asks which person; an unknown or withheld one gets general help.
    """
    existing = call_by_sid(session, call_sid)
    if existing is not None:
        return existing, False
    now = now or utcnow()
    conversation = Conversation(
        practice_id=practice.id, channel=Channel.VOICE, address=from_number, created_at=now, last_activity_at=now
    )
    session.add(conversation)
    session.flush()
    call = Call(
        call_sid=call_sid,
        conversation_id=conversation.id,
        practice_id=practice.id,
        from_number=from_number,
        to_number=to_number,
        stage=CallStage.TALKING,
        twilio_status="ringing",
        started_at=now,
    )
    clients = clients_with_number(session, practice.id, from_number)
    if len(clients) == 1:
        call.caller_client_id = clients[0].id
    elif len(clients) > 1:
        call.stage = CallStage.CHOOSING_CLIENT
        conversation.candidate_client_ids = [client.id for client in clients]
    session.add(call)
    session.flush()
    audit.record(
        session,
        actor="system",
        action="call_started",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"caller_on_file": len(clients)},
        at=now,
    )
    log.info("call_started", conversation=conversation.id, caller_on_file=len(clients))
    return call, True


def caller_utterances(session: Session, conversation_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id == conversation_id, Message.direction == Direction.INBOUND)
        )
        or 0
    )


def take_unspoken(session: Session, conversation_id: str) -> list[Message]:
    """The replies queued for the caller since the last TwiML, marked as said (in order)."""
    queued = list(
        session.scalars(
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == Direction.OUTBOUND,
                Message.status == MessageStatus.QUEUED,
            )
            .order_by(Message.id)
        )
    )
    for message in queued:
        message.status = MessageStatus.SENT
    return queued


def apply_status(
    session: Session, call_sid: str, reported: str, *, duration_seconds: int | None, now: dt.datetime | None = None
) -> bool:
    """Apply one status callback; True when it ended the call (each call ends once)."""
    now = now or utcnow()
    call = call_by_sid(session, call_sid)
    if call is None or call.ended_at is not None:
        return False  # unknown, or a late / repeated report about a call that is over
    if reported not in TERMINAL:
        if STATUS_RANK.get(reported, -1) > STATUS_RANK.get(call.twilio_status or "", -1):
            call.twilio_status = reported
        return False
    # Conditional: of two deliveries of the final report racing, one ends the call.
    ended = affected_rows(
        session,
        update(Call)
        .where(Call.id == call.id, Call.ended_at.is_(None))
        .values(ended_at=now, twilio_status=reported, duration_seconds=duration_seconds, stage=CallStage.ENDED)
        .execution_options(synchronize_session=False),
    )
    if not ended:
        return False
    session.refresh(call)
    _after_call(session, call, now)
    return True


def _after_call(session: Session, call: Call, now: dt.datetime) -> None:
    conversation = call.conversation
    for message in take_unspoken(session, conversation.id):  # the caller hung up before hearing them
        message.status, message.error_code = MessageStatus.UNDELIVERED, "call_ended"
    ticket = current_ticket(session, conversation.id)
    if ticket is not None and ticket.reason is not HandoffReason.CRISIS and call.recording_sid is None:
        # The caller wanted a person and hung up before anyone (or a voicemail) took it.
        open_handoff(session, conversation, HandoffReason.CALLBACK, context={"call": "ended_waiting"})
    audit.record(
        session,
        actor="system",
        action="call_ended",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"status": call.twilio_status, "seconds": call.duration_seconds},
        at=now,
    )
    if call.recording_sid is None and caller_utterances(session, conversation.id) == 0:
        text_back(session, call, "sms.call_missed", now=now)


def text_back(session: Session, call: Call, wording: str, *, now: dt.datetime | None = None) -> Message | None:
    """One text to the caller after a call that did not get them help (missed, or nothing
    could be heard): opt-outs respected, at most one a day to a number, never to a
    withheld one.  The text opens (or continues) the number's SMS conversation."""
    now = now or utcnow()
    number, practice = call.from_number, call.practice
    if not number or call.missed_text_sent_at is not None:
        return None
    if is_opted_out(session, practice.id, number):
        log.info("call_text_back_opted_out", conversation=call.conversation_id)
        return None
    recent = session.scalar(
        select(func.count())
        .select_from(Call)
        .where(
            Call.from_number == number,
            Call.practice_id == practice.id,
            Call.missed_text_sent_at > now - MISSED_TEXT_EVERY,
        )
    )
    if recent:
        return None
    call.missed_text_sent_at = now
    body = text(wording, practice=practice.name, promise=callback_promise(practice, now))
    message = send_sms(session, practice.id, number, body)
    log.info("call_text_back", conversation=call.conversation_id, wording=wording)
    return message


def record_dial_result(session: Session, call: Call, dial_status: str, *, now: dt.datetime | None = None) -> bool:
    """What the transfer came to; True if a person answered.  Applied once per transfer."""
    if call.stage is not CallStage.TRANSFERRING:
        return call.dial_status in ANSWERED  # a repeated callback: the same answer
    answered = dial_status in ANSWERED
    call.dial_status, call.stage = dial_status, CallStage.TALKING
    ticket = current_ticket(session, call.conversation_id)
    if answered and call.dial_target == "front_desk" and ticket is not None:
        # The front desk has the caller on the line: nothing is left waiting in the queue.
        close_ticket(session, ticket, rep_id=None, now=now or utcnow())
        transition(call.conversation, ConversationState.RESOLVED, reason="answered_by_phone", actor="front_desk")
    audit.record(
        session,
        actor="system",
        action="call_transferred",
        subject_type="conversation",
        subject_id=call.conversation_id,
        details={"target": call.dial_target, "status": dial_status},
        at=now,
    )
    return answered
