"""An inbound text: accepted once (whatever Twilio retries), then answered in the
background by the conversation pipeline (conversation/pipeline.py), whose SMS hooks
(keywords, opt-out silence, rate limit, who is texting) are in sms/adapter.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.channels.sms.keywords import Keyword, classify
from assistant.conversation.outbound import sms_conversation_for
from assistant.conversation.pipeline import accept
from assistant.logs import get_logger
from assistant.services.conversations import open_handoff
from assistant.services.sms_opt_outs import record_opt_in, record_opt_out
from assistant.store.engine import session_scope
from assistant.store.models import (
    Conversation,
    HandoffReason,
    Message,
    Practice,
)

log = get_logger("sms.inbound")


@dataclass(frozen=True)
class InboundSms:
    message_sid: str
    from_number: str
    to_number: str
    body: str
    media: list[dict[str, str]] = field(default_factory=list)
    opt_out_type: str | None = None
    idempotency_token: str | None = None


def practice_for(session: Session, to_number: str, default_slug: str) -> Practice | None:
    """The practice texted: by its number, else (a Messaging Service pool number) the default."""
    practice = session.scalars(select(Practice).where(Practice.phone_e164 == to_number)).first()
    return practice or session.scalars(select(Practice).where(Practice.slug == default_slug)).first()


def is_duplicate(session: Session, sms: InboundSms) -> bool:
    clauses = [Message.external_id == sms.message_sid]
    if sms.idempotency_token:
        clauses.append(Message.idempotency_key == sms.idempotency_token)
    return any(session.scalars(select(Message.id).where(clause)).first() for clause in clauses)


def accept_sms(
    practice: Practice, sms: InboundSms, *, request_id: str, database_url: str | None
) -> tuple[int, str] | None:
    """Persist the text; returns (message id, conversation id), or None for a redelivery."""
    try:
        with session_scope(database_url) as session:
            if is_duplicate(session, sms):
                return None
            conversation = sms_conversation_for(session, practice.id, sms.from_number)
            message = accept(session, conversation.id, sms.body, request_id=request_id, external_id=sms.message_sid)
            message.idempotency_key = sms.idempotency_token
            message.media = sms.media or None
            if sms.opt_out_type:
                _apply_twilio_opt_out_type(session, conversation, sms)
            session.flush()
            return message.id, conversation.id
    except IntegrityError:  # the same MessageSid arriving twice at the same moment
        return None


def _apply_twilio_opt_out_type(session: Session, conversation: Conversation, sms: InboundSms) -> None:
    """Twilio's Advanced Opt-Out already acted on this text; keep our records in step."""
    kind = (sms.opt_out_type or "").upper()  # only called when Twilio sent one
    if kind == "STOP":
        record_opt_out(
            session,
            conversation.practice_id,
            sms.from_number,
            source="twilio",
            keyword=sms.body.strip().upper()[:32] or None,
        )
        # An opt-out the texter may not have meant (e.g. "cancel"): a person should follow up.
        keyword = classify(sms.body)
        if keyword is None or keyword[0] is not Keyword.OPT_OUT:
            open_handoff(
                session,
                conversation,
                HandoffReason.SMS_OPT_OUT,
                context={"twilio_opt_out_keyword": sms.body.strip().upper()[:32]},
            )
    elif kind == "START":
        record_opt_in(session, conversation.practice_id, sms.from_number)
