"""What is special about a phone call, as hooks the conversation pipeline calls in its own
order (conversation/pipeline.py):

- keypad 0 always reaches a person; a call that is over hears nothing more;
- words Twilio could barely make out are not guessed at: the caller is asked again, and
  after two such turns in a row offered a person;
- who is calling: a caller ID on file is only *likely* the client, so the caller's first
  request is held until the date of birth (spoken or keyed) confirms it, then answered;
  a number several clients share asks which person first; the check is counted per
  client (services/identity_guard.py), so it cannot be guessed call after call;
- a card number read out is kept out of the records (accept redacts it) and answered with
  the card-update flow, whose secure link is texted (conversation/outbound.py);
- the pipeline's own sentences (crisis help, card removed, bot trouble) in their spoken
  form, and nothing said for a turn that ends with a person taking over: the call is put
  through, or the caller leaves a message (channels/voice/responses.py).
"""

from __future__ import annotations

import datetime as dt

from assistant.conversation.turn import ChannelAdapter, Inbound
from assistant.dialogue.bot import BotReply
from assistant.logs import get_logger
from assistant.scheduling.parsing import parse_date_of_birth
from assistant.screen.redaction import CARD
from assistant.services.conversations import open_handoff, record_verification_failure, verify_client
from assistant.services.identity import MAX_VERIFICATION_FAILURES, pick_candidate
from assistant.services.identity_guard import Attempt, check_dob_for_client
from assistant.store.models import (
    Call,
    CallStage,
    Client,
    Conversation,
    ConversationState,
    HandoffReason,
)
from assistant.wording.catalog import text
from assistant.wording.voice_render import spoken_choices

log = get_logger("voice.adapter")

LOW_SPEECH_CONFIDENCE = 0.3  # Twilio's Confidence below this: ask again rather than guess
MISUNDERSTOOD_BEFORE_PERSON = 2
KEYPAD_PERSON = "0"
BILLING_UPDATE = "/billing_update"  # the dialogue model's intent, sent as Rasa's "/intent" payload
SPOKEN = {  # the pipeline's sentences, as a caller hears them
    "crisis.reply": "voice.crisis",
    "security.card_redacted": "voice.card_redacted",
    "service.trouble": "voice.trouble",
}


def keyed_date_of_birth(answer: str) -> dt.date | None:
    """Eight keyed digits, month day year ("03141990"), or a spoken date of birth."""
    digits = answer.strip()
    if len(digits) == 8 and digits.isascii() and digits.isdigit():
        answer = f"{digits[:2]}/{digits[2:4]}/{digits[4:]}"
    return parse_date_of_birth(answer)


def spoken_options(clients: list[Client]) -> str:
    return spoken_choices([text("voice.option", choice=c.first_name, digit=n) for n, c in enumerate(clients, start=1)])


class VoiceAdapter(ChannelAdapter):
    """Replies wait for the call's next TwiML; the caller ID suggests who is calling."""

    waits_for_the_bot = False  # a caller on the line is helped now, not after an outage

    def answered_by_transport(self, inbound: Inbound) -> bool:
        keyed = inbound.message.speech_confidence is None
        if keyed and inbound.text == KEYPAD_PERSON:
            open_handoff(inbound.session, inbound.conversation, HandoffReason.REQUESTED, context={"keypad": "0"})
            return True
        return False

    def silenced(self, inbound: Inbound) -> bool:
        call = inbound.conversation.call
        return call is None or call.stage is CallStage.ENDED  # nobody is listening any more

    def turned_away(self, inbound: Inbound) -> bool:
        call = inbound.conversation.call
        assert call is not None  # silenced() answered first
        confidence = inbound.message.speech_confidence
        if confidence is None or confidence >= LOW_SPEECH_CONFIDENCE or call.stage is CallStage.CONFIRMING_DOB:
            call.misunderstood_turns = 0
            return False
        call.misunderstood_turns += 1
        if call.misunderstood_turns >= MISUNDERSTOOD_BEFORE_PERSON:
            inbound.reply(text("voice.offer_person"))
            open_handoff(
                inbound.session, inbound.conversation, HandoffReason.LOW_CONFIDENCE, context={"speech": "unclear"}
            )
        else:
            inbound.reply(text("voice.not_understood"))
        return True

    def identify(self, inbound: Inbound) -> bool:
        conversation = inbound.conversation
        call = conversation.call
        if call is None or conversation.client_id is not None:
            if CARD in (inbound.message.redactions or []):
                # A card number read out: the card is updated by a secure link, texted.
                inbound.for_bot = BILLING_UPDATE
            return True
        if call.stage is CallStage.CHOOSING_CLIENT:
            return self._choose_client(inbound, call)
        if call.stage is CallStage.CONFIRMING_DOB:
            return self._confirm_dob(inbound, call)
        if call.caller_client_id is not None:  # the caller ID is on file: confirm before anything else
            call.held_text, call.stage = inbound.text, CallStage.CONFIRMING_DOB
            inbound.reply(text("voice.ask_dob"))
            return False
        return True  # unknown or withheld number: general help; the actions disclose nothing

    def _choose_client(self, inbound: Inbound, call: Call) -> bool:
        conversation = inbound.conversation
        candidates = [
            inbound.session.get_one(Client, client_id) for client_id in conversation.candidate_client_ids or []
        ]
        chosen = pick_candidate(inbound.text, candidates)
        if chosen is None:
            inbound.reply(text("voice.who_again", options=spoken_options(candidates)))
            return False
        conversation.candidate_client_ids = None
        call.caller_client_id, call.stage = chosen.id, CallStage.CONFIRMING_DOB
        inbound.reply(text("voice.ask_dob"))
        return False

    def _confirm_dob(self, inbound: Inbound, call: Call) -> bool:
        session, conversation = inbound.session, inbound.conversation
        client = session.get_one(Client, call.caller_client_id)
        date_of_birth = keyed_date_of_birth(inbound.text)
        attempt = Attempt(conversation.id, "voice_caller_id_dob", source=call.from_number)
        if check_dob_for_client(session, client, date_of_birth, attempt):
            verify_client(session, conversation, client, method="voice_caller_id_dob")
            call.stage, held = CallStage.TALKING, call.held_text
            call.held_text = None
            inbound.reply(text("voice.confirmed", first_name=client.first_name))
            if held:
                inbound.for_bot = held  # answer what they asked before we checked
                return True
            inbound.reply(text("voice.how_can_i_help"))
            return False
        if record_verification_failure(session, conversation) >= MAX_VERIFICATION_FAILURES:
            call.stage, call.caller_client_id, call.held_text = CallStage.TALKING, None, None
            inbound.reply(text("voice.dob_failed"))
            log.warning("voice_dob_failed", conversation=conversation.id)
        else:
            inbound.reply(text("voice.dob_again" if date_of_birth else "voice.dob_not_understood"))
        return False

    def say(self, wording: str, **values: object) -> str:
        return text(SPOKEN.get(wording, wording), **values)

    def render(self, conversation: Conversation, route: str, replies: list[BotReply]) -> list[BotReply]:
        if route == "crisis":
            if not conversation.practice.oncall_e164:  # nobody to put through: promise no transfer
                return [BotReply(text("voice.crisis_no_oncall"))]
            return replies
        if conversation.state in (ConversationState.HANDOFF_PENDING, ConversationState.WITH_REP):
            # The bot's "a person will reply right here" is for a screen: on the phone the
            # caller is put through or leaves a message (channels/voice/responses.py).  The
            # pipeline's own lines (card removed, bot trouble) are still said.
            own = {self.say("security.card_redacted"), self.say("service.trouble")}
            return [reply for reply in replies if reply.text in own]
        return replies
