"""Everything said to a client goes through here, whoever says it (bot, rep, system).

Web chat messages are delivered when the widget reads them; SMS messages wait
in the outbox (status `queued`) for the sender, which retries them with backoff.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

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
    now = utcnow()
    is_sms = conversation.channel is Channel.SMS
    message = Message(conversation_id=conversation.id, direction=Direction.OUTBOUND, author=author,
                      text=text, buttons=buttons or None, request_id=request_id, created_at=now,
                      status=MessageStatus.QUEUED if is_sms else MessageStatus.SENT,
                      next_attempt_at=now if is_sms else None)
    session.add(message)
    session.flush()
    return message
