"""One client message, start to finish, whatever the channel: the ONE place that decides
what happens next.

    accept    persist the message, redacted, before anything else (never lost)
    order     hold the conversation's lock, across processes, and answer any earlier
              message still waiting first (conversation/ordering.py)
    claim     take the message's lease (conversation/lease.py): one worker answers it
    transport the channel's own rules first (SMS: STOP / START / HELP keywords)
    screen    crisis language; a crisis skips every step below but routing
              (the answer to a safety check-in is read when routing: crisis_check.py)
    channel   the channel may stay silent (an opted-out number) or turn the message away
              (nothing to read, too many messages) — never for a crisis
    identify  the channel may learn who is writing (SMS: the number on file; a shared
              number asks "who is texting?", and the answer ends the turn)
    route     crisis | waiting (a person is coming) | rep (a person has it) | bot
    reply     the channel words it (`say`, `render`: a call hears no links or buttons), then
              through conversation/outbound.py (web: stored for the widget; SMS: outbox;
              voice: queued for the call's next TwiML)

Channel adapters (assistant/channels/*/adapter.py) supply only transport specifics, as
the hooks of `ChannelAdapter`; the order above is decided here.  The bot is called
outside any database transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from assistant.config import get_settings
from assistant.conversation import lease
from assistant.conversation.crisis_check import read_answer
from assistant.conversation.ordering import ConversationOrder
from assistant.conversation.outage import OutagePolicy
from assistant.conversation.outbound import send_to_client
from assistant.conversation.state import transition
from assistant.conversation.turn import ChannelAdapter, Inbound, TurnResult
from assistant.dialogue.bot import BotReply, BotUnavailable, DialogueBot
from assistant.logs import get_logger
from assistant.screen.control_chars import strip_control_chars
from assistant.screen.crisis import assess
from assistant.screen.redaction import CARD, redact
from assistant.services.conversations import get_conversation, open_handoff, touch
from assistant.services.promises import waiting_reply
from assistant.services.safety_check import forget as forget_safety_check
from assistant.services.secret_masking import mask_links
from assistant.store.engine import read_scope, session_scope
from assistant.store.models import (
    Author,
    Channel,
    ConversationState,
    Direction,
    HandoffReason,
    Message,
    MessageStatus,
    utcnow,
)

log = get_logger("conversation.pipeline")


def accept(
    session: Session,
    conversation_id: str,
    raw_text: str,
    *,
    request_id: str | None,
    external_id: str | None = None,
    speech_confidence: float | None = None,
) -> Message:
    """Persist an inbound message; card numbers and SSNs never reach the database, and a
    one-time link the client pastes back is masked (reps read every client message).
    Control characters (NUL and the like; not line breaks or tabs) are dropped first, on
    every channel: PostgreSQL cannot store a NUL, and none of them means anything to a reader."""
    screened = redact(strip_control_chars(raw_text))
    conversation = get_conversation(session, conversation_id)
    stored = mask_links(session, conversation.practice, screened.text)
    message = Message(
        conversation_id=conversation_id,
        direction=Direction.INBOUND,
        author=Author.CLIENT,
        text=stored,
        redactions=list(screened.kinds) or None,
        status=MessageStatus.RECEIVED,
        request_id=request_id,
        external_id=external_id,
        speech_confidence=speech_confidence,
    )
    session.add(message)
    touch(conversation)
    session.flush()
    log.info("message_accepted", conversation=conversation_id, message_id=message.id, redactions=list(screened.kinds))
    return message


@dataclass(frozen=True)
class _Route:
    route: str  # done | handled | crisis | waiting | rep | bot | answered (the pipeline's own reply)
    text: str = ""
    conversation_id: str = ""
    request_id: str | None = None
    notices: tuple[BotReply, ...] = ()
    accepted_at: dt.datetime | None = None
    detected_by: str = "screen"  # a crisis: the rule screen, or the answer to a check-in


class Pipeline:
    def __init__(
        self,
        bot: DialogueBot,
        database_url: str | None = None,
        adapters: Mapping[Channel, ChannelAdapter] | None = None,
        owner: str | None = None,
        outage: OutagePolicy | None = None,
    ) -> None:
        self._bot = bot
        self._outage = outage or OutagePolicy()
        self.on_hold: Callable[[], None] = lambda: None  # recovery's wake-up, set by the app
        # This process's name on the messages it answers (conversation/lease.py).
        self.owner = owner or lease.new_owner()
        self._database_url = database_url
        self._adapters = dict(adapters or {})
        self._default_adapter = ChannelAdapter()
        self._order = ConversationOrder(database_url or get_settings().database_url, self.owner)

    def close(self) -> None:
        self._order.close()

    def adapter(self, channel: Channel) -> ChannelAdapter:
        return self._adapters.get(channel, self._default_adapter)

    def process(self, message_id: int) -> TurnResult:
        """Answer one accepted message under this process's lease, after any earlier one of
        its conversation still waiting (their replies first); a message another process
        holds (or that was answered already) is left alone."""
        held = False

        def answer(waiting_id: int) -> TurnResult:
            nonlocal held  # once one message waits for the bot, the later ones wait behind it
            result = self._answer(waiting_id, bot_down=held)
            held = held or result.pending
            return result

        results = self._order.answer_in_order(message_id, answer)
        replies = [reply for result in results if not result.pending for reply in result.replies]
        if results[-1].pending:  # one "one moment" for all the messages now waiting
            replies += results[-1].replies
        return TurnResult(replies, results[-1].state, pending=results[-1].pending)

    def _answer(self, message_id: int, *, bot_down: bool = False) -> TurnResult:
        step = self._route(message_id)
        if step.route in ("done", "handled"):
            return self._unchanged(message_id)
        route, replies = step.route, list(step.notices)
        if route == "bot":
            try:
                if bot_down:
                    raise BotUnavailable("out for an earlier message of this conversation")
                bot_replies = self._bot.send(step.conversation_id, step.text, step.request_id)
                if not bot_replies and self._outage.silence_is_an_outage():
                    raise BotUnavailable("action server out")
            except BotUnavailable as error:
                log.error("bot_unavailable", conversation=step.conversation_id, error=str(error))
                held = self._hold(message_id, step.accepted_at)
                if held is not None:
                    return held
                bot_replies = []
            if bot_replies:
                replies += bot_replies
            else:  # a silent bot would leave the client unanswered: a person takes over
                route = "bot_failed"
        return self._finish(message_id, route, replies, detected_by=step.detected_by)

    def _route(self, message_id: int) -> _Route:
        with session_scope(self._database_url) as session:
            claimed = lease.claim(session, message_id, owner=self.owner, now=utcnow())
            message = session.get(Message, message_id)
            if message is None or message.status is not MessageStatus.RECEIVED or not claimed:
                return _Route("done")
            conversation = get_conversation(session, message.conversation_id)
            adapter = self.adapter(conversation.channel)
            inbound = Inbound(session, conversation, message, message.text.strip())
            if adapter.answered_by_transport(inbound):
                return self._handled(message)
            crisis = bool(inbound.text) and assess(inbound.text).is_crisis
            if not crisis and (
                adapter.silenced(inbound) or adapter.turned_away(inbound) or not adapter.identify(inbound)
            ):
                return self._handled(message)
            card_notice = adapter.say("security.card_redacted")
            notices: tuple[BotReply, ...] = (BotReply(card_notice),) if CARD in (message.redactions or []) else ()
            if crisis:
                route = "crisis"
            elif conversation.state is ConversationState.HANDOFF_PENDING:
                route = "waiting"
            elif conversation.state is ConversationState.WITH_REP:
                route = "rep"
            else:  # a resolved conversation is the bot's again on the client's next message
                transition(conversation, ConversationState.BOT, reason="client_message", actor="client")
                route = "bot"
                # The answer to "are you safe right now?", if the bot asked (crisis_check.py).
                check_in = read_answer(conversation, inbound.text, utcnow()) if inbound.text else None
                if check_in is not None and check_in.crisis:
                    return _Route("crisis", "", conversation.id, message.request_id, detected_by="check_in")
                if check_in is not None and check_in.notice:
                    notices += (BotReply(adapter.say(check_in.notice)),)
                    if check_in.answered_here:  # "yes i'm fine" with no task held: no bot turn
                        return _Route("answered", "", conversation.id, message.request_id, notices)
                    inbound.for_bot = check_in.for_bot or inbound.for_bot
            return _Route(
                route,
                inbound.for_bot or message.text,
                conversation.id,
                message.request_id,
                notices,
                accepted_at=message.created_at,
            )

    @staticmethod
    def _handled(message: Message) -> _Route:
        """The channel answered (or deliberately did not): nothing more for this message."""
        message.status, message.processed_at = MessageStatus.PROCESSED, utcnow()
        return _Route("handled")

    def _hold(self, message_id: int, accepted_at: dt.datetime | None) -> TurnResult | None:
        """Leave the message for when the bot is back (conversation/outage.py), or None: it
        has waited long enough, or its channel cannot wait (a call)."""
        with session_scope(self._database_url) as session:
            message = session.get(Message, message_id)
            assert message is not None
            conversation = get_conversation(session, message.conversation_id)
            adapter = self.adapter(conversation.channel)
            if not adapter.waits_for_the_bot or not self._outage.may_hold(accepted_at or message.created_at):
                return None
            lease.release(session, message_id, owner=self.owner)
            state = conversation.state
        log.info("turn_held_for_the_bot", conversation=conversation.id, message_id=message_id)
        self.on_hold()
        return TurnResult([BotReply(adapter.say("service.one_moment"))], state, pending=True)

    def _unchanged(self, message_id: int) -> TurnResult:
        with read_scope(self._database_url) as session:
            message = session.get(Message, message_id)
            if message is None:
                return TurnResult([])
            return TurnResult([], get_conversation(session, message.conversation_id).state)

    def _finish(self, message_id: int, route: str, replies: list[BotReply], *, detected_by: str) -> TurnResult:
        crisis = route == "crisis"
        with session_scope(self._database_url) as session:
            # First, and conditional: of two turns racing to the finish, one answers.
            answered = lease.finish(session, message_id, owner=self.owner, now=utcnow())
            message = session.get(Message, message_id)
            assert message is not None
            conversation = get_conversation(session, message.conversation_id)
            adapter = self.adapter(conversation.channel)
            if not answered:
                # Answered meanwhile by whoever took over an expired lease: say nothing twice.
                log.warning("turn_superseded", conversation=conversation.id, message_id=message_id)
                return TurnResult([], conversation.state)
            if crisis:
                # Crisis overrides every flow: help first, then a person, whatever the bot was doing.
                replies = [BotReply(adapter.say("crisis.reply"))]
                forget_safety_check(conversation)
                open_handoff(
                    session,
                    conversation,
                    HandoffReason.CRISIS,
                    context={"detected_by": detected_by},
                    request_id=message.request_id,
                )
            elif route == "waiting":
                replies.append(BotReply(waiting_reply(session, conversation)))
            elif route == "bot_failed":
                replies.append(BotReply(adapter.say("service.trouble")))
                open_handoff(
                    session,
                    conversation,
                    HandoffReason.REPEATED_FAILURE,
                    context={"bot": "unavailable"},
                    request_id=message.request_id,
                )
            replies = adapter.render(conversation, route, replies)
            for reply in replies:
                send_to_client(
                    session,
                    conversation,
                    reply.text,
                    author=Author.BOT,
                    request_id=message.request_id,
                    buttons=reply.buttons,
                )
            state = conversation.state
        if crisis:
            self._bot.restart(conversation.id)
        log.info("turn_done", conversation=conversation.id, route=route, replies=len(replies), state=state.value)
        return TurnResult(replies, state)
