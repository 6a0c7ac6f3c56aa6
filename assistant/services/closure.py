"""What the client is told when a rep resolves their conversation, and the question that follows.

Web chat: a system message "Casey closed this conversation — message us any time" (the rep's
first name; "Our team" when the rep has none) and one optional "Did we help?" question (a
`ConversationFeedback` row, answered through services/conversation_feedback.py).  SMS: nothing,
unless the practice turned `closure_sms_enabled` on; then the closing text goes through the normal
outbound path (the outbox), never to a number that opted out.  A phone call gets nothing (it is over).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_to_client
from assistant.services.sms_opt_outs import is_opted_out
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    ConversationFeedback,
    HandoffTicket,
    Message,
    Rep,
    utcnow,
)
from assistant.wording.catalog import text as wording


def first_name(rep: Rep) -> str | None:
    """The name the client knows the rep by: the first word of the display name, if any."""
    words = (rep.display_name or "").split()
    return words[0] if words else None


def closing_text(rep: Rep, channel: Channel, practice_name: str) -> str:
    name = first_name(rep)
    if channel is Channel.SMS:
        if name is None:
            return wording("closure.sms_closed_by_team", practice=practice_name)
        return wording("closure.sms_closed_by", practice=practice_name, first_name=name)
    return wording("widget.closed_by", first_name=name) if name else wording("widget.closed_by_team")


def _sms_allowed(session: Session, conversation: Conversation) -> bool:
    practice = conversation.practice
    if not practice.closure_sms_enabled or not conversation.address:
        return False
    return not is_opted_out(session, practice.id, conversation.address)


def announce_closure(
    session: Session, conversation: Conversation, ticket: HandoffTicket, rep: Rep, *, request_id: str | None = None
) -> Message | None:
    """Tell the client the conversation was closed; the message sent, or None if nothing was."""
    if conversation.channel is Channel.WEB:
        if conversation.token_hash is None:
            return None  # an ended chat (or an internal alert conversation): nobody would read it
        message = send_to_client(
            session,
            conversation,
            closing_text(rep, Channel.WEB, conversation.practice.name),
            author=Author.SYSTEM,
            request_id=request_id,
        )
        # The question is asked once per resolution (the ticket is unique in the table).
        session.add(
            ConversationFeedback(
                practice_id=conversation.practice_id,
                conversation_id=conversation.id,
                ticket_id=ticket.id,
                asked_at=utcnow(),
            )
        )
        session.flush()
        return message
    if conversation.channel is Channel.SMS and _sms_allowed(session, conversation):
        text = closing_text(rep, Channel.SMS, conversation.practice.name)
        return send_to_client(session, conversation, text, author=Author.SYSTEM, request_id=request_id)
    return None
