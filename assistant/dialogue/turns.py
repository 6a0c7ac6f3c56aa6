"""One client message, start to finish, whatever the channel.

`accept` persists the message (already redacted) before anything else happens,
so an accepted message is never lost; `process` then screens it for crisis
language, decides whether the bot or a person owns the conversation, and
records every reply.  The bot is called outside any database transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from assistant.dialogue.bot import BotReply, BotUnavailable, RasaBot
from assistant.dialogue.outbound import send_to_client
from assistant.logs import get_logger
from assistant.replies import CARD_REDACTED, CRISIS_REPLY, SERVICE_TROUBLE
from assistant.screen.control_chars import strip_control_chars
from assistant.screen.crisis import assess
from assistant.screen.redaction import CARD, redact
from assistant.services.conversations import get_conversation, open_handoff, practice_of, touch
from assistant.services.promises import waiting_reply
from assistant.services.secret_masking import mask_links
from assistant.store.engine import session_scope
from assistant.store.models import (
    Author,
    ConversationState,
    Direction,
    HandoffReason,
    Message,
    MessageStatus,
    utcnow,
)

log = get_logger("dialogue.turns")


@dataclass
class TurnResult:
    replies: list[BotReply] = field(default_factory=list)
    state: ConversationState = ConversationState.BOT


def accept(session: Session, conversation_id: str, raw_text: str, *, request_id: str | None,
           external_id: str | None = None) -> Message:
    """Persist an inbound message; card numbers and SSNs never reach the database, and a
    one-time link the client pastes back is masked (reps read every client message).
    Control characters (NUL and the like; not line breaks or tabs) are dropped first, on
    every channel: PostgreSQL cannot store a NUL, and none of them means anything to a reader."""
    screened = redact(strip_control_chars(raw_text))
    conversation = get_conversation(session, conversation_id)
    text = mask_links(session, practice_of(session, conversation), screened.text)
    message = Message(conversation_id=conversation_id, direction=Direction.INBOUND,
                      author=Author.CLIENT, text=text,
                      redactions=list(screened.kinds) or None,
                      status=MessageStatus.RECEIVED, request_id=request_id, external_id=external_id)
    session.add(message)
    touch(conversation)
    session.flush()
    log.info("message_accepted", conversation=conversation_id, message_id=message.id,
             redactions=list(screened.kinds))
    return message


class TurnProcessor:
    def __init__(self, bot: RasaBot, database_url: str | None = None) -> None:
        self._bot = bot
        self._database_url = database_url

    def process(self, message_id: int, crisis: bool | None = None) -> TurnResult:
        """`crisis`: the caller's own crisis assessment of this message, if it made one."""
        route, text, conversation_id, request_id, notices = self._route(message_id, crisis)
        replies = list(notices)
        if route == "bot":
            try:
                bot_replies = self._bot.send(conversation_id, text, request_id)
            except BotUnavailable as error:
                log.error("bot_unavailable", conversation=conversation_id, error=str(error))
                bot_replies = []
            if bot_replies:
                replies += bot_replies
            else:  # a silent bot would leave the client unanswered: a person takes over
                route = "bot_failed"
        return self._finish(message_id, route, replies)

    def _route(self, message_id: int, crisis: bool | None) -> tuple[str, str, str, str | None, list[BotReply]]:
        with session_scope(self._database_url) as session:
            message = session.get(Message, message_id)
            assert message is not None
            conversation = get_conversation(session, message.conversation_id)
            notices = [BotReply(CARD_REDACTED)] if CARD in (message.redactions or []) else []
            if message.status is not MessageStatus.RECEIVED:
                route = "done"
            elif crisis if crisis is not None else assess(message.text).is_crisis:
                route = "crisis"
            elif conversation.state is ConversationState.HANDOFF_PENDING:
                route = "waiting"
            elif conversation.state is ConversationState.WITH_REP:
                route = "rep"
            else:
                conversation.state = ConversationState.BOT
                route = "bot"
            return route, message.text, conversation.id, message.request_id, notices

    def _finish(self, message_id: int, route: str, replies: list[BotReply]) -> TurnResult:
        crisis = route == "crisis"
        with session_scope(self._database_url) as session:
            message = session.get(Message, message_id)
            assert message is not None
            conversation = get_conversation(session, message.conversation_id)
            if route == "done":
                return TurnResult([], conversation.state)
            if crisis:
                # Crisis overrides every flow: help first, then a person, whatever the bot was doing.
                replies = [BotReply(CRISIS_REPLY)]
                open_handoff(session, conversation, HandoffReason.CRISIS,
                             context={"detected_by": "screen"}, request_id=message.request_id)
            elif route == "waiting":
                replies.append(BotReply(waiting_reply(session, conversation)))
            elif route == "bot_failed":
                replies.append(BotReply(SERVICE_TROUBLE))
                open_handoff(session, conversation, HandoffReason.REPEATED_FAILURE,
                             context={"bot": "unavailable"}, request_id=message.request_id)
            for reply in replies:
                send_to_client(session, conversation, reply.text, author=Author.BOT,
                               request_id=message.request_id, buttons=reply.buttons)
            message.status, message.processed_at = MessageStatus.PROCESSED, utcnow()
            state = conversation.state
        if crisis:
            self._bot.restart(conversation.id)
        log.info("turn_done", conversation=conversation.id, route=route, replies=len(replies),
                 state=state.value)
        return TurnResult(replies, state)
