"""An inbound text: accepted once (whatever Twilio retries), then handled in the background.

Order of handling: carrier keywords (STOP / START / HELP), opt-out silence,
crisis (straight to the shared turn processor, which answers with 988/911),
empty or media-only texts, the per-number rate limit, who is texting (a number
shared by several clients asks which person), and then the bot or the rep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.channels.sms.keywords import Keyword, classify
from assistant.channels.sms.outbox import is_opted_out, record_opt_out
from assistant.channels.sms.ratelimit import RateLimiter
from assistant.dialogue.outbound import send_to_client, sms_conversation_for
from assistant.dialogue.turns import TurnProcessor, accept
from assistant.logs import get_logger
from assistant.replies import (
    SMS_HELP,
    SMS_IDENTIFIED,
    SMS_NO_TEXT,
    SMS_OPTED_IN,
    SMS_SLOW_DOWN,
    SMS_WHO_AGAIN,
    SMS_WHO_IS_TEXTING,
)
from assistant.scheduling.parsing import normalize_name
from assistant.screen.crisis import assess
from assistant.services import audit
from assistant.services.conversations import open_handoff, verify_client
from assistant.store.engine import session_scope
from assistant.store.models import (
    Author,
    Client,
    Conversation,
    HandoffReason,
    Message,
    MessageStatus,
    Practice,
    SmsOptOut,
    utcnow,
)

log = get_logger("sms.inbound")
# ASCII digits ([0-9]: \d also matches other scripts' digits) and \Z ($ allows a trailing newline).
E164 = re.compile(r"^\+[1-9][0-9]{6,14}\Z")


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


def accept_sms(practice: Practice, sms: InboundSms, *, request_id: str,
               database_url: str | None) -> tuple[int, str] | None:
    """Persist the text; returns (message id, conversation id), or None for a redelivery."""
    try:
        with session_scope(database_url) as session:
            if is_duplicate(session, sms):
                return None
            conversation = sms_conversation_for(session, practice.id, sms.from_number)
            message = accept(session, conversation.id, sms.body, request_id=request_id,
                             external_id=sms.message_sid)
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
    kind = sms.opt_out_type.upper()
    if kind == "STOP":
        record_opt_out(session, conversation.practice_id, sms.from_number, source="twilio",
                       keyword=sms.body.strip().upper()[:32] or None)
        # An opt-out the texter may not have meant (e.g. "cancel"): a person should follow up.
        keyword = classify(sms.body)
        if keyword is None or keyword[0] is not Keyword.OPT_OUT:
            open_handoff(session, conversation, HandoffReason.SMS_OPT_OUT,
                         context={"twilio_opt_out_keyword": sms.body.strip().upper()[:32]})
    elif kind == "START":
        _opt_in(session, conversation.practice_id, sms.from_number)


def _opt_in(session: Session, practice_id: int, phone: str) -> bool:
    opt_out = session.get(SmsOptOut, (practice_id, phone))
    if opt_out is None:
        return False
    session.delete(opt_out)
    audit.record(session, actor="client", action="sms_opted_in", subject_type="phone", subject_id=phone[-4:])
    return True


class InboundHandler:
    def __init__(self, turns: TurnProcessor, limiter: RateLimiter, database_url: str | None) -> None:
        self._turns = turns
        self._limiter = limiter
        self._database_url = database_url

    def handle(self, message_id: int) -> None:
        to_turns, crisis = self._pre_bot(message_id)
        if to_turns:
            self._turns.process(message_id, crisis=crisis)

    def _pre_bot(self, message_id: int) -> tuple[bool, bool]:
        """SMS-only steps: (whether the message then goes to the bot / rep, whether it is a
        crisis), so the crisis screen runs once per text."""
        with session_scope(self._database_url) as session:
            message = session.get(Message, message_id)
            if message is None or message.status is not MessageStatus.RECEIVED:
                return False, False
            conversation = session.get(Conversation, message.conversation_id)
            practice = session.get(Practice, conversation.practice_id)
            phone, text = conversation.address, message.text.strip()

            def reply(wording: str) -> None:
                send_to_client(session, conversation, wording, author=Author.SYSTEM,
                               request_id=message.request_id)

            def done() -> tuple[bool, bool]:
                message.status, message.processed_at = MessageStatus.PROCESSED, utcnow()
                return False, False

            keyword = classify(text)
            opted_out = is_opted_out(session, practice.id, phone)
            if keyword and keyword[0] is Keyword.OPT_OUT:
                record_opt_out(session, practice.id, phone, source="keyword", keyword=keyword[1])
                audit.record(session, actor="client", action="sms_opted_out", subject_type="conversation",
                             subject_id=conversation.id, details={"keyword": keyword[1]})
                return done()  # Twilio confirms the opt-out; we send nothing more
            if keyword and keyword[0] is Keyword.OPT_IN and opted_out:
                _opt_in(session, practice.id, phone)
                reply(SMS_OPTED_IN.format(practice=practice.name))
                return done()
            if keyword and keyword[0] is Keyword.HELP:
                reply(SMS_HELP.format(practice=practice.name, phone=practice.phone_e164 or "the office"))
                return done()
            crisis = bool(text) and assess(text).is_crisis
            if opted_out and not crisis:
                return done()  # kept for the reps; no text may be sent to this number
            if crisis:
                return True, True
            if not text:
                reply(SMS_NO_TEXT)
                return done()
            count = self._limiter.hit(f"{practice.id}:{phone or conversation.id}")
            if not self._limiter.allows(count):
                if self._limiter.first_over(count):
                    reply(SMS_SLOW_DOWN)
                log.warning("sms_rate_limited", conversation=conversation.id, count=count)
                return done()
            if conversation.client_id is None and not self._identify(session, conversation, text, reply):
                return done()
            return True, False

    def _identify(self, session: Session, conversation: Conversation, text: str, reply) -> bool:  # noqa: ANN001
        """Who is texting. True to carry on with this message; False when it was an answer
        to "who is texting?" (or that question was just asked)."""
        if conversation.candidate_client_ids:
            candidates = [session.get(Client, client_id) for client_id in conversation.candidate_client_ids]
            chosen = _pick_candidate(text, candidates)
            if chosen is None:
                reply(SMS_WHO_AGAIN.format(options=_options(candidates)))
                return False
            conversation.candidate_client_ids = None
            verify_client(session, conversation, chosen, method="sms_shared_number")
            reply(SMS_IDENTIFIED.format(first_name=chosen.first_name))
            return False
        clients = session.scalars(
            select(Client).where(Client.practice_id == conversation.practice_id,
                                 Client.mobile_e164 == conversation.address,
                                 Client.sms_consent.is_(True))
            .order_by(Client.id)).all()
        if len(clients) == 1:
            verify_client(session, conversation, clients[0], method="sms_number_on_file")
        elif len(clients) > 1:
            conversation.candidate_client_ids = [client.id for client in clients]
            reply(SMS_WHO_IS_TEXTING.format(options=_options(clients)))
            return False
        return True  # unknown number: general help only; actions disclose nothing


def _options(clients: list[Client]) -> str:
    choices = [f"{number} for {client.first_name}" for number, client in enumerate(clients, start=1)]
    return ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]


def _pick_candidate(text: str, candidates: list[Client]) -> Client | None:
    digits = re.findall(r"\d+", text)
    words = normalize_name(text).split()
    if len(digits) == 1 and 1 <= int(digits[0]) <= len(candidates):
        return candidates[int(digits[0]) - 1]
    named = [c for c in candidates if normalize_name(c.first_name) in words]
    return named[0] if len(named) == 1 else None
