"""What is special about a text message, as hooks the conversation pipeline calls in its
own order (conversation/pipeline.py): carrier keywords (STOP / START / HELP), silence
for an opted-out number, empty or media-only texts, the per-number rate limit, and who
is texting (a number several clients share asks which person)."""

from __future__ import annotations

from sqlalchemy import select

from assistant.channels.sms.keywords import Keyword, classify
from assistant.channels.sms.ratelimit import RateLimiter
from assistant.conversation.turn import ChannelAdapter, Inbound
from assistant.logs import get_logger
from assistant.outreach import replies as outreach_replies
from assistant.services import audit
from assistant.services.conversations import verify_client
from assistant.services.identity import pick_candidate
from assistant.services.sms_opt_outs import is_opted_out, record_opt_in, record_opt_out
from assistant.store.models import Client
from assistant.wording.catalog import text

log = get_logger("sms.adapter")


class SmsAdapter(ChannelAdapter):
    """Replies wait in the outbox for the sender; the number tells who is texting."""

    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter

    def answered_by_transport(self, inbound: Inbound) -> bool:
        session, conversation = inbound.session, inbound.conversation
        practice, phone = conversation.practice, conversation.address
        assert phone is not None  # an SMS conversation is its number's
        keyword = classify(inbound.text)
        if keyword is None:
            return False
        if keyword[0] is Keyword.OPT_OUT:
            record_opt_out(session, practice.id, phone, source="keyword", keyword=keyword[1])
            audit.record(
                session,
                actor="client",
                action="sms_opted_out",
                subject_type="conversation",
                subject_id=conversation.id,
                details={"keyword": keyword[1]},
            )
            return True  # Twilio confirms the opt-out; we send nothing more
        if keyword[0] is Keyword.OPT_IN and is_opted_out(session, practice.id, phone):
            record_opt_in(session, practice.id, phone)
            inbound.reply(text("sms.opted_in", practice=practice.name))
            return True
        if keyword[0] is Keyword.HELP:
            inbound.reply(text("sms.help", practice=practice.name, phone=practice.phone_e164 or text("sms.the_office")))
            return True
        return False

    def silenced(self, inbound: Inbound) -> bool:
        # Kept for the reps; no text may be sent to this number.
        conversation = inbound.conversation
        return is_opted_out(inbound.session, conversation.practice_id, conversation.address)

    def turned_away(self, inbound: Inbound) -> bool:
        conversation = inbound.conversation
        if not inbound.text:
            inbound.reply(text("sms.no_text"))
            return True
        count = self._limiter.hit(f"{conversation.practice_id}:{conversation.address or conversation.id}")
        if not self._limiter.allows(count):
            if self._limiter.first_over(count):
                inbound.reply(text("sms.slow_down"))
            log.warning("sms_rate_limited", conversation=conversation.id, count=count)
            return True
        return False

    def identify(self, inbound: Inbound) -> bool:
        """Who is texting, then whether the text answers an outreach text (C / R / X / LINK,
        answered in assistant/outreach/replies.py).  True to carry on with this message."""
        return self._who_is_texting(inbound) and outreach_replies.carry_on(inbound)

    def _who_is_texting(self, inbound: Inbound) -> bool:
        """True to carry on with this message; False when it was an answer to "who is
        texting?" (or that question was just asked)."""
        session, conversation = inbound.session, inbound.conversation
        if conversation.client_id is not None:
            return True
        if conversation.candidate_client_ids:
            candidates = [session.get_one(Client, client_id) for client_id in conversation.candidate_client_ids]
            chosen = pick_candidate(inbound.text, candidates)
            if chosen is None:
                inbound.reply(text("sms.who_again", options=_options(candidates)))
                return False
            conversation.candidate_client_ids = None
            verify_client(session, conversation, chosen, method="sms_shared_number")
            inbound.reply(text("sms.identified", first_name=chosen.first_name))
            return False
        clients = session.scalars(
            select(Client)
            .where(
                Client.practice_id == conversation.practice_id,
                Client.mobile_e164 == conversation.address,
                Client.sms_consent.is_(True),
            )
            .order_by(Client.id)
        ).all()
        if len(clients) == 1:
            verify_client(session, conversation, clients[0], method="sms_number_on_file")
        elif len(clients) > 1:
            conversation.candidate_client_ids = [client.id for client in clients]
            inbound.reply(text("sms.who_is_texting", options=_options(list(clients))))
            return False
        return True  # unknown number: general help only; actions disclose nothing


def _options(clients: list[Client]) -> str:
    choices = [f"{number} for {client.first_name}" for number, client in enumerate(clients, start=1)]
    return ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]
