"""The on-call alert: a crisis hand-off texts the practice's on-call number at once.

The text says only that a conversation needs a person and where the console is:
no client name, no message, nothing clinical (texts are not a private channel).
It goes through the same SMS outbox as every other text, once per ticket.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from assistant.config import get_settings
from assistant.conversation.outbound import send_sms
from assistant.logs import get_logger
from assistant.services import audit
from assistant.store.models import (
    Author,
    Conversation,
    HandoffTicket,
    Message,
    utcnow,
)

log = get_logger("services.oncall")

ONCALL_ALERT = "Urgent: a client conversation needs a person now. Open the console: {url}"


def console_url() -> str:
    return f"{get_settings().public_base_url}/console"


def alert_oncall(
    session: Session,
    conversation: Conversation,
    ticket: HandoffTicket,
    *,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> Message | None:
    """Queue the alert text for this ticket unless it was already sent; None if not sent."""
    if ticket.oncall_alerted_at is not None:
        return None
    practice = conversation.practice
    if not practice.oncall_e164:
        log.warning("oncall_number_missing", practice=practice.id, ticket=ticket.id)
        return None
    message = send_sms(
        session,
        practice.id,
        practice.oncall_e164,
        ONCALL_ALERT.format(url=console_url()),
        author=Author.SYSTEM,
        request_id=request_id,
    )
    ticket.oncall_alerted_at = now or utcnow()
    audit.record(
        session,
        actor="system",
        action="oncall_alerted",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"ticket": ticket.id, "message": message.id},
        request_id=request_id,
    )
    log.info("oncall_alerted", ticket=ticket.id, conversation=conversation.id)
    return message
