"""Live messages for the web chat: stream tokens and the server-sent event stream.

EventSource cannot send an Authorization header, and the bearer token must not travel in
a URL (URLs end up in proxy logs and browser history).  So the widget trades its bearer
token for a stream token: it opens only this conversation's stream, is signed with the
conversation's token hash (ending the chat revokes every stream token with it), and
expires after ten minutes.  An open stream outlives it; a reconnect after expiry gets 401
and the widget fetches a fresh one.  Messages are read from the store, ids above the last
one sent, so a browser reconnecting with Last-Event-ID (or `after`) gets exactly the
messages it missed.  On PostgreSQL the stream reads when the conversation changes
(LISTEN/NOTIFY, assistant/live/), with a slow poll only as a safety net; on SQLite it
polls about once a second.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from sse_starlette import EventSourceResponse, ServerSentEvent

from assistant.api import sse
from assistant.api.deps import ChatConversationReadDep, SettingsDep, get_or_404
from assistant.api.schemas.chat import MessagePublic, StreamTokenPublic, message_out
from assistant.api.schemas.media import EventStream
from assistant.api.types import MAX_DB_ID, MessageCursor, PublicId, ascii_int
from assistant.live.changes import live_changes_of
from assistant.services import chat_sessions
from assistant.store.engine import read_scope
from assistant.store.models import Conversation, utcnow

STREAM_POLL_SECONDS = 1.0  # how often a stream looks for new messages without notifications
STREAM_LISTENING_POLL_SECONDS = 30.0  # and with them: only in case one was lost
STREAM_MAX_SECONDS = 5 * 60  # then the browser reconnects (Last-Event-ID): no stuck sockets

router = APIRouter()


@router.post("/sessions/{session_id}/stream-token", response_model=StreamTokenPublic)
def stream_token(conversation: ChatConversationReadDep) -> StreamTokenPublic:
    return StreamTokenPublic(
        stream_token=chat_sessions.mint_stream_token(conversation), expires_in=chat_sessions.STREAM_TOKEN_SECONDS
    )


def _poll(
    database_url: str, conversation_id: str, token_hash: str, after: int, idle_seconds: float
) -> tuple[list[MessagePublic], dict[str, Any] | None, bool]:
    """New messages and the conversation's state; no state means the stream must end."""
    with read_scope(database_url) as session:
        conversation = session.get(Conversation, conversation_id)
        if (
            conversation is None
            or conversation.token_hash != token_hash
            or (utcnow() - conversation.last_activity_at).total_seconds() > idle_seconds
        ):
            return [], None, False
        page = chat_sessions.messages_after(session, conversation_id, after, 100)
        state = {"state": conversation.state.value, "verified": conversation.client_id is not None}
        return [message_out(m, page.rep_names) for m in page.messages], state, page.has_more


@router.get("/sessions/{session_id}/events", response_class=EventStream)
async def events(
    session_id: PublicId,
    request: Request,
    settings: SettingsDep,
    stream_token: Annotated[str, Query(max_length=200)],
    after: Annotated[MessageCursor, Query()] = 0,
    last_event_id: Annotated[str | None, Header(max_length=32)] = None,
) -> EventSourceResponse:
    """Server-sent events: `message` (one per message, id = message id), `state`, `end`."""

    def authorize() -> str:
        with read_scope(settings.database_url) as session:
            conversation = get_or_404(session, Conversation, session_id, "chat session")
            if not chat_sessions.stream_token_valid(conversation, stream_token):
                raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or expired stream token")
            assert conversation.token_hash is not None
            return conversation.token_hash

    token_hash = await anyio.to_thread.run_sync(authorize)
    if last_event_id is not None and last_event_id.strip():
        # A reconnect: resume exactly where it stopped.  Browsers send back an id we sent.
        resume_after = ascii_int(last_event_id.strip(), maximum=MAX_DB_ID)
        if resume_after is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Last-Event-ID must be a message id")
        after = resume_after
    app_state = request.app.state
    poll_seconds = getattr(app_state, "chat_stream_poll_seconds", STREAM_POLL_SECONDS)
    listening_poll_seconds = getattr(app_state, "chat_stream_listening_poll_seconds", STREAM_LISTENING_POLL_SECONDS)
    live = live_changes_of(app_state)
    max_seconds = getattr(app_state, "chat_stream_max_seconds", STREAM_MAX_SECONDS)
    idle_seconds = settings.chat_session_idle_minutes * 60

    async def stream() -> AsyncIterator[ServerSentEvent]:
        last_id, last_state = after, None
        started = time.monotonic()
        yield sse.retry_advice()
        with live.subscribe(session_id) as changes:
            while True:
                changes.clear()  # before reading: a change from now on wakes the wait below
                messages, current, more = await anyio.to_thread.run_sync(
                    _poll, settings.database_url, session_id, token_hash, last_id, idle_seconds
                )
                if current is None:  # ended, revoked or idle: the widget starts afresh
                    yield sse.event("end", {"reason": "session_ended"})
                    return
                for message in messages:
                    last_id = message.id
                    yield sse.event("message", message.model_dump(mode="json"), event_id=message.id)
                if current != last_state:
                    last_state = current
                    yield sse.event("state", current)
                if time.monotonic() - started >= max_seconds:
                    return
                if not more:
                    remaining = max_seconds - (time.monotonic() - started)
                    await changes.wait(min(listening_poll_seconds if live.listening else poll_seconds, remaining))

    return sse.event_stream(stream())
