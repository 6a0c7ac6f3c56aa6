"""Web chat sessions: starting one (bearer token, optional pre-chat verification),
stream tokens for its event stream, and reading its transcript.

The bearer token is random and the store keeps only its sha256 (`token_hash`); ending
a chat clears the hash, which revokes the bearer token and every stream token with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services import identity_guard as guard
from assistant.services.console_authors import reply_authors
from assistant.services.conversations import record_verification_failure, verify_client
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    Message,
    Practice,
)

STREAM_TOKEN_SECONDS = 10 * 60  # a stream token only opens (or reopens) a stream
STREAM_TOKEN_SALT = "chat-stream"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def practice_by_slug(session: Session, slug: str) -> Practice | None:
    return session.scalars(select(Practice).where(Practice.slug == slug)).first()


@dataclass(frozen=True)
class StartedChat:
    conversation: Conversation
    token: str  # the bearer token: given to the client once, never stored
    verification_failed: bool  # details were given and did not verify (or the check is locked)

    @property
    def verified(self) -> bool:
        return self.conversation.client_id is not None


def start_chat(
    session: Session,
    practice: Practice,
    *,
    name: str | None = None,
    date_of_birth: dt.date | None = None,
    source: str = "",
    request_id: str | None = None,
) -> StartedChat:
    """A new web chat; with name and date of birth, also try to verify its client."""
    token = secrets.token_urlsafe(32)
    conversation = Conversation(practice_id=practice.id, channel=Channel.WEB, token_hash=hash_token(token))
    session.add(conversation)
    session.flush()
    failed = False
    if name is not None and date_of_birth is not None:
        attempt = guard.Attempt(conversation.id, "name_dob_prechat", source, request_id)
        client = guard.check_name_and_dob(session, practice.id, name, date_of_birth, attempt)
        if client is not None:
            verify_client(session, conversation, client, method="name_dob_prechat", request_id=request_id)
        else:
            record_verification_failure(session, conversation)
            failed = True
    return StartedChat(conversation=conversation, token=token, verification_failed=failed)


# --- Stream tokens ------------------------------------------------------------------------
# Signed with the conversation's token hash, a secret only the server has: a token opens
# only its own conversation's stream, and ending the chat (hash cleared) revokes them all.


def _stream_serializer(token_hash: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(token_hash, salt=STREAM_TOKEN_SALT, signer_kwargs={"digest_method": hashlib.sha256})


def mint_stream_token(conversation: Conversation) -> str:
    if conversation.token_hash is None:
        raise ValueError("an ended chat has no stream tokens")
    token = _stream_serializer(conversation.token_hash).dumps(conversation.id)
    return token if isinstance(token, str) else token.decode()


def stream_token_valid(conversation: Conversation, stream_token: str) -> bool:
    """True for an unexpired token minted for this conversation while its chat is open."""
    if conversation.token_hash is None:
        return False
    try:
        signed_for = _stream_serializer(conversation.token_hash).loads(stream_token, max_age=STREAM_TOKEN_SECONDS)
    except (BadData, UnicodeError, ValueError):  # bad signature, expired, malformed
        return False
    return bool(signed_for == conversation.id)


# --- The transcript -----------------------------------------------------------------------


@dataclass(frozen=True)
class TranscriptPage:
    messages: list[Message]
    rep_names: dict[int, str]  # message id -> the display name of the rep who wrote it
    has_more: bool


def _rep_names(session: Session, conversation_id: str, messages: list[Message]) -> dict[int, str]:
    """Display names of the reps who wrote these messages: the console's record of who sent
    each reply (console_authors), so the client and the rep see the same name."""
    if not any(m.author is Author.REP for m in messages):
        return {}
    wanted = {m.id for m in messages}
    return {
        message_id: name for message_id, name in reply_authors(session, conversation_id).items() if message_id in wanted
    }


def messages_after(session: Session, conversation_id: str, after: int, limit: int) -> TranscriptPage:
    """Up to `limit` messages with ids above `after`, oldest first."""
    rows = list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after)
            .order_by(Message.id)
            .limit(limit + 1)
        )
    )
    page = rows[:limit]
    return TranscriptPage(
        messages=page, rep_names=_rep_names(session, conversation_id, page), has_more=len(rows) > limit
    )
