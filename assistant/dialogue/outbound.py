"""Everything said to a client goes through here, whoever says it (bot, rep, system).

Web chat messages are delivered when the widget reads them; SMS messages wait
in the outbox (status `queued`) for the sender, which retries them with backoff.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.channels.sms.render import render_for_sms
from assistant.channels.sms.segments import segment_count, split_message
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    Direction,
    Message,
    MessageStatus,
    utcnow,
)


def send_to_client(session: Session, conversation: Conversation, text: str, *, author: Author,
                   request_id: str | None = None,
                   buttons: list[dict[str, str]] | None = None) -> Message:
    """Record (web) or queue (SMS) a message to the client; returns the (first) message."""
    now = utcnow()
    if conversation.channel is not Channel.SMS:
        message = Message(conversation_id=conversation.id, direction=Direction.OUTBOUND, author=author,
                          text=text, buttons=buttons or None, request_id=request_id, created_at=now,
                          status=MessageStatus.SENT)
        session.add(message)
        session.flush()
        return message
    # A phone shows plain text: buttons become words to reply with, and a long reply
    # becomes several texts split at sentence boundaries.
    parts = [Message(conversation_id=conversation.id, direction=Direction.OUTBOUND, author=author,
                     text=part, request_id=request_id, created_at=now, status=MessageStatus.QUEUED,
                     next_attempt_at=now, segments=segment_count(part))
             for part in split_message(render_for_sms(text, buttons))]
    session.add_all(parts)
    session.flush()
    return parts[0]


def sms_conversation_for(session: Session, practice_id: int, phone_e164: str) -> Conversation:
    """The practice's SMS conversation with this number (the latest one), created if none."""
    conversation = session.scalars(
        select(Conversation)
        .where(Conversation.practice_id == practice_id, Conversation.channel == Channel.SMS,
               Conversation.address == phone_e164)
        .order_by(Conversation.created_at.desc())).first()
    if conversation is None:
        conversation = Conversation(practice_id=practice_id, channel=Channel.SMS, address=phone_e164)
        session.add(conversation)
        session.flush()
    return conversation


def send_sms(session: Session, practice_id: int, to_e164: str, text: str, *,
             author: Author = Author.SYSTEM, request_id: str | None = None,
             secret: bool = False) -> Message:
    """Text a number outside a client-initiated turn (one-time codes, on-call alerts).
    A `secret` text (a one-time code) is not kept once Twilio has accepted it."""
    conversation = sms_conversation_for(session, practice_id, to_e164)
    message = send_to_client(session, conversation, text, author=author, request_id=request_id)
    message.redact_after_send = secret
    return message
