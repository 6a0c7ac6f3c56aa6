"""What a turn hands a channel and gets back: the accepted message as a channel's hooks see
it (`Inbound`), the hooks themselves (`ChannelAdapter`) and the turn's outcome (`TurnResult`).

The pipeline (pipeline.py) decides the order of a turn; these are the shapes it shares with
the channel adapters (assistant/channels/*/adapter.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_to_client
from assistant.dialogue.bot import BotReply
from assistant.store.models import Author, Conversation, ConversationState, Message
from assistant.wording.catalog import text


@dataclass
class TurnResult:
    replies: list[BotReply] = field(default_factory=list)
    state: ConversationState = ConversationState.BOT
    # Held for the bot (conversation/outage.py): `replies` is the "one moment" to show, not stored.
    pending: bool = False


@dataclass
class Inbound:
    """One accepted message as the channel's hooks see it, inside the turn's transaction."""

    session: Session
    conversation: Conversation
    message: Message
    text: str  # the message's text, stripped
    # What the bot should answer instead of `text`, if identifying changed it (a caller's
    # question held until their date of birth confirmed who they are).
    for_bot: str | None = None

    def reply(self, wording: str) -> None:
        """A system reply on the client's own channel (keyword answers, "slow down", ...)."""
        send_to_client(
            self.session, self.conversation, wording, author=Author.SYSTEM, request_id=self.message.request_id
        )


class ChannelAdapter:
    """A channel's transport specifics.  The defaults are web chat's: no transport rules,
    replies read by the widget in the same request."""

    # While the bot is out for a moment, the message may wait for it (conversation/outage.py).
    waits_for_the_bot = True

    def answered_by_transport(self, inbound: Inbound) -> bool:
        """True: the transport itself dealt with the message (an SMS carrier keyword)."""
        return False

    def silenced(self, inbound: Inbound) -> bool:
        """True: nothing may be sent to this client now (an opted-out number)."""
        return False

    def turned_away(self, inbound: Inbound) -> bool:
        """True: the channel answered the message itself (nothing to read, too many)."""
        return False

    def identify(self, inbound: Inbound) -> bool:
        """Learn who is writing, if the channel can; False when that used up the message."""
        return True

    def say(self, wording: str, **values: object) -> str:
        """The channel's sentence for a catalog key the pipeline itself says (crisis help,
        card removed, bot trouble): a channel may have its own wording for it."""
        return text(wording, **values)

    def render(self, conversation: Conversation, route: str, replies: list[BotReply]) -> list[BotReply]:
        """The turn's replies as this channel delivers them (`route`: crisis | waiting | rep |
        bot | bot_failed | answered; the conversation's state is already the turn's outcome)."""
        return replies
