"""Telling the front desk that someone keeps failing to prove they are a client.

When a client's name+DOB check or texted code is locked (identity_guard), a person
should know: it may be an attacker, or the real client locked out.  The ticket lives
on an internal conversation for that client (no token: nobody can chat in it), never
on the chat that failed, so what an attacker's chat shows depends only on what
happened in that chat.  One ticket per lock: while it is open, a new lock updates it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.conversation.state import current_ticket
from assistant.logs import get_logger
from assistant.services import audit
from assistant.services.conversations import open_handoff
from assistant.store.models import (
    AuditEvent,
    Author,
    Channel,
    Client,
    Conversation,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
)

log = get_logger("identity_alerts")

ALERT_OPENED = "identity_alert_opened"  # audit action, subject the client
ALERT_KIND = "repeated_identity_failures"
_METHOD_WORDS = {"name_dob": "name and date-of-birth checks", "sms_code": "texted codes"}


def _explain(session: Session, conversation: Conversation, method: str, failures: int, now: dt.datetime) -> None:
    """A line in the alert conversation saying, for the rep, what happened and what to do.

    Only reps read this conversation (it has no chat token and no phone number), so the
    line is recorded as already delivered and goes nowhere."""
    what = _METHOD_WORDS.get(method, "identity checks")
    paused = (
        "Name and date-of-birth checks for this client are paused for an hour; they can "
        "still verify with a code texted to the mobile on file."
        if method == "name_dob"
        else "Texted codes for this client are paused for an hour."
    )
    text = (
        f"Security alert: {failures} failed {what} for this client within the limit "
        f"window. {paused} If it was the client, call them on the number on file; if not, "
        "someone may be trying to get into their account."
    )
    session.add(
        Message(
            conversation_id=conversation.id,
            direction=Direction.OUTBOUND,
            author=Author.SYSTEM,
            text=text,
            status=MessageStatus.SENT,
            created_at=now,
        )
    )


def _alert_conversation(session: Session, client: Client, now: dt.datetime) -> Conversation:
    """The client's alert conversation from an earlier alert, or a new one."""
    earlier = session.scalars(
        select(AuditEvent.details)
        .where(
            AuditEvent.subject_type == "client",
            AuditEvent.subject_id == str(client.id),
            AuditEvent.action == ALERT_OPENED,
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).first()
    conversation_id = (earlier or {}).get("conversation")
    conversation = session.get(Conversation, conversation_id) if conversation_id else None
    if conversation is None:
        conversation = Conversation(
            practice_id=client.practice_id,
            channel=Channel.WEB,
            client_id=client.id,
            token_hash=None,
            created_at=now,
            last_activity_at=now,
        )
        session.add(conversation)
        session.flush()
    return conversation


def raise_alert(
    session: Session,
    client_id: int,
    *,
    method: str,
    failures: int,
    locked_until: dt.datetime,
    request_id: str | None = None,
    now: dt.datetime,
) -> HandoffTicket:
    """Open (or, while one is open, update) the client's VERIFICATION_FAILED ticket."""
    client = session.get(Client, client_id)
    assert client is not None
    context = {"alert": ALERT_KIND, "method": method, "failures": failures, "locked_until": locked_until.isoformat()}
    conversation = _alert_conversation(session, client, now)
    ticket = current_ticket(session, conversation.id)
    if ticket is not None:
        ticket.context = {**(ticket.context or {}), **context}  # a new dict: JSON columns see it
        _explain(session, conversation, method, failures, now)
        session.flush()
        return ticket
    _explain(session, conversation, method, failures, now)
    ticket = open_handoff(
        session, conversation, HandoffReason.VERIFICATION_FAILED, context=context, request_id=request_id
    )
    audit.record(
        session,
        actor="system",
        action=ALERT_OPENED,
        subject_type="client",
        subject_id=client.id,
        request_id=request_id,
        at=now,
        details={"conversation": conversation.id, "ticket": ticket.id, "method": method},
    )
    log.warning("identity_alert_opened", client=client.id, method=method, ticket=ticket.id)
    return ticket
