"""Web chat JSON API: the contract the website widget is built on.

Besides sending messages: reading the transcript (`GET .../messages?after=`), a
live stream of new messages (server-sent events, `GET .../events`), ending a chat
(`DELETE`, which revokes the token), and verification by a one-time code texted
to the mobile on file.  Every per-session endpoint needs the session's bearer
token, except the event stream, which EventSource cannot give headers to: it
takes a short-lived stream token minted with the bearer token (see `events`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import signal
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Header, HTTPException, Path, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.api.cors import require_allowed_origin
from assistant.api.types import MAX_DB_ID, MessageCursor, PublicId, ascii_int
from assistant.api.throttle import (
    TOO_MANY_RESPONSE,
    RateLimiterDep,
    source_address,
    too_many_requests,
)
from assistant.api.deps import (
    ChatConversationDep,
    RequestIdDep,
    SessionDep,
    SettingsDep,
    TurnsDep,
    get_or_404,
    hash_secret,
)
from assistant.dialogue.turns import accept
from assistant.screen.control_chars import strip_control_chars
from assistant.services import audit
from assistant.services import identity_guard as guard
from assistant.services import verification_codes as codes
from assistant.services.conversations import record_verification_failure, verify_client
from assistant.store import models
from assistant.store.engine import session_scope
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    ConversationState,
    HandoffTicket,
    Message,
    Practice,
    utcnow,
)

MAX_MESSAGE_CHARS = 2000
STREAM_TOKEN_SECONDS = 10 * 60   # a stream token only opens (or reopens) a stream
STREAM_POLL_SECONDS = 1.0        # how often a stream looks for new messages
STREAM_MAX_SECONDS = 5 * 60      # then the browser reconnects (Last-Event-ID): no stuck sockets
STREAM_KEEPALIVE_SECONDS = 15.0
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"


@asynccontextmanager
async def _streams_end_on_shutdown(app: Any) -> AsyncIterator[None]:
    """Open event streams end as soon as the server is told to stop.

    A server waits for open responses before it exits, and an event stream never
    finishes by itself: without this, Ctrl-C on `make run` with the demo page open
    would hang.  uvicorn handles SIGINT/SIGTERM with `signal.signal`; we run first,
    then hand the signal on.  Browsers reconnect (Last-Event-ID) once it is back.
    """
    closing = threading.Event()
    app.state.chat_streams_closing = closing
    chained: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous = signal.getsignal(signum)
            if callable(previous):
                def on_signal(number: int, frame: Any, previous: Any = previous) -> None:
                    closing.set()
                    previous(number, frame)
                chained[signum] = previous
                signal.signal(signum, on_signal)
    try:
        yield
    finally:
        closing.set()
        for signum, previous in chained.items():
            signal.signal(signum, previous)


router = APIRouter(prefix="/api/chat", tags=["chat"], lifespan=_streams_end_on_shutdown)

StateName = Literal["bot", "handoff_pending", "with_rep", "resolved"]


class PracticeInfo(BaseModel):
    slug: str
    name: str


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    date_of_birth: dt.date | None = None
    practice: str | None = Field(default=None, pattern=SLUG_PATTERN)

    @model_validator(mode="after")
    def _both_or_neither(self) -> "SessionCreate":
        if (self.name is None) != (self.date_of_birth is None):
            raise ValueError("give both name and date_of_birth, or neither")
        return self


class SessionCreated(BaseModel):
    session_id: str
    token: str
    verified: bool


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_MESSAGE_CHARS)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("message text contains a NUL character")
        value = strip_control_chars(value).strip()  # accept() would drop them anyway
        if not value:
            raise ValueError("message text is empty")
        return value


class Button(BaseModel):
    title: str
    payload: str


class Reply(BaseModel):
    text: str
    buttons: list[Button] = []


class TurnOut(BaseModel):
    replies: list[Reply]
    state: Literal["bot", "handoff_pending", "with_rep", "resolved"]


def _practice_by_slug(session: Session, slug: str) -> Practice | None:
    return session.scalars(select(Practice).where(Practice.slug == slug)).first()


@router.get("/practices/{slug}", response_model=PracticeInfo)
def practice_info(slug: Annotated[str, Path(pattern=SLUG_PATTERN)], session: SessionDep) -> PracticeInfo:
    """What the widget shows before a chat starts (public: the practice's name)."""
    practice = _practice_by_slug(session, slug)
    if practice is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "practice not found")
    return PracticeInfo(slug=practice.slug, name=practice.name)


# Said with every 429 for identity attempts: when to come back, and the ways that still work.
IDENTITY_THROTTLED = ("too many identity checks from this address; try again after the "
                      "Retry-After seconds, chat without your details for general questions, "
                      "or call the practice")
CODES_THROTTLED = ("too many code requests from this address; try again after the Retry-After "
                   "seconds, or call the practice")


@router.post("/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionCreated,
             responses=TOO_MANY_RESPONSE)
def create_session(session: SessionDep, settings: SettingsDep, request_id: RequestIdDep,
                   request: Request, limiter: RateLimiterDep,
                   body: SessionCreate | None = None) -> SessionCreated:
    """Start a chat; with name and date of birth, also try to verify it.

    `verified: false` reads the same for wrong details and for a client whose name+DOB
    check is locked (identity_guard); failures are throttled per address (429).
    """
    slug = body.practice if body is not None and body.practice else None
    practice = _practice_by_slug(session, slug or settings.practice_slug)
    if practice is None and slug is not None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "practice not found")
    if practice is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE,
                            "practice is not set up yet: run `assistant demo-data`")
    require_allowed_origin(request, practice, settings)
    name = body.name if body is not None else None
    date_of_birth = body.date_of_birth if body is not None else None
    source = source_address(request)
    if name is not None and date_of_birth is not None:
        wait = guard.source_wait(limiter, source)
        if wait is not None:
            raise too_many_requests(wait, IDENTITY_THROTTLED)
    token = secrets.token_urlsafe(32)
    conversation = Conversation(practice_id=practice.id, channel=Channel.WEB,
                                token_hash=hash_secret(token))
    session.add(conversation)
    session.flush()
    if name is not None and date_of_birth is not None:
        attempt = guard.Attempt(conversation.id, "name_dob_prechat", source, request_id)
        client = guard.check_name_and_dob(session, practice.id, name, date_of_birth, attempt)
        if client is not None:
            verify_client(session, conversation, client, method="name_dob_prechat",
                          request_id=request_id)
        else:
            record_verification_failure(session, conversation)
            guard.count_source_failure(limiter, source)
    return SessionCreated(session_id=conversation.id, token=token,
                          verified=conversation.client_id is not None)


@router.post("/sessions/{session_id}/messages", response_model=TurnOut)
def post_message(body: MessageIn, conversation: ChatConversationDep, session: SessionDep,
                 turns: TurnsDep, request_id: RequestIdDep) -> TurnOut:
    message = accept(session, conversation.id, body.text, request_id=request_id)
    session.commit()  # the message is safe before any processing starts
    result = turns.process(message.id)
    return TurnOut(
        replies=[Reply(text=r.text, buttons=[Button(**b) for b in r.buttons]) for r in result.replies],
        state=result.state.value,
    )


# --- Reading the conversation -------------------------------------------------------------


class MessageOut(BaseModel):
    id: int
    author: Literal["client", "bot", "rep", "system"]
    author_name: str | None = None  # a rep's display name, when known
    text: str
    buttons: list[Button] = []
    created_at: dt.datetime


class Transcript(BaseModel):
    messages: list[MessageOut]
    state: StateName
    verified: bool
    has_more: bool


def _rep_names(session: Session, conversation_id: str, messages: list[Message]) -> dict[int, str]:
    """Display names of the reps who wrote these messages, as far as the store knows them.

    Messages carry no rep id yet; until they do, a rep message is attributed to the
    rep who had claimed the conversation's ticket when it was sent.
    """
    rep_model = getattr(models, "Rep", None)
    claimed_by = getattr(HandoffTicket, "claimed_by_rep_id", None)
    claimed_at = getattr(HandoffTicket, "claimed_at", None)
    rep_messages = [m for m in messages if m.author is Author.REP]
    if rep_model is None or not rep_messages:
        return {}
    claims: list[tuple[dt.datetime, int]] = []
    if claimed_by is not None and claimed_at is not None:
        claims = [(at, rep_id) for at, rep_id in session.execute(
            select(claimed_at, claimed_by).where(HandoffTicket.conversation_id == conversation_id,
                                                 claimed_by.is_not(None), claimed_at.is_not(None))
            .order_by(claimed_at))]
    names: dict[int, str] = {}
    for message in rep_messages:
        rep_id = getattr(message, "rep_id", None)
        if rep_id is None:
            earlier = [rid for at, rid in claims if at <= message.created_at]
            rep_id = earlier[-1] if earlier else None
        rep = session.get(rep_model, rep_id) if rep_id is not None else None
        name = getattr(rep, "display_name", None)
        if name:
            names[message.id] = str(name)
    return names


def _message_out(message: Message, rep_names: dict[int, str]) -> MessageOut:
    """A message as the client's own chat shows it: with the working link or code sent to
    them (`client_text`), not the masked copy reps see."""
    return MessageOut(id=message.id, author=message.author.value,
                      author_name=rep_names.get(message.id), text=message.client_text or message.text,
                      buttons=[Button(**b) for b in message.buttons or []],
                      created_at=message.created_at)


def _messages_after(session: Session, conversation_id: str, after: int,
                    limit: int) -> tuple[list[MessageOut], bool]:
    rows = list(session.scalars(
        select(Message).where(Message.conversation_id == conversation_id, Message.id > after)
        .order_by(Message.id).limit(limit + 1)))
    page = rows[:limit]
    names = _rep_names(session, conversation_id, page)
    return [_message_out(m, names) for m in page], len(rows) > limit


@router.get("/sessions/{session_id}/messages", response_model=Transcript)
def read_messages(conversation: ChatConversationDep, session: SessionDep,
                  after: Annotated[MessageCursor, Query()] = 0,
                  limit: Annotated[int, Query(ge=1, le=500)] = 200) -> Transcript:
    """The transcript (every author), oldest first, from after message id `after`."""
    messages, has_more = _messages_after(session, conversation.id, after, limit)
    return Transcript(messages=messages, state=conversation.state.value,
                      verified=conversation.client_id is not None, has_more=has_more)


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def end_session(conversation: ChatConversationDep, session: SessionDep,
                request_id: RequestIdDep) -> Response:
    """The widget's "End chat": the token stops working at once (an open stream closes too)."""
    conversation.token_hash = None
    if conversation.state is ConversationState.BOT:
        conversation.state = ConversationState.RESOLVED
    audit.record(session, actor=f"client:{conversation.client_id}" if conversation.client_id else "client",
                 action="chat_ended", subject_type="conversation", subject_id=conversation.id,
                 request_id=request_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- Live messages: server-sent events ----------------------------------------------------
#
# EventSource cannot send an Authorization header, and the bearer token must not travel in
# a URL (URLs end up in proxy logs and browser history).  So the widget trades its bearer
# token for a stream token: it opens only this conversation's stream, is signed with the
# conversation's token hash (a secret only the server has; ending the chat revokes every
# stream token with it), and expires after ten minutes.  An open stream outlives it; a
# reconnect after expiry gets 401 and the widget fetches a fresh one.  Messages are found
# by polling the store (about once a second) for ids above the last one sent, so a browser
# reconnecting with Last-Event-ID (or `after`) gets exactly the messages it missed.


class StreamToken(BaseModel):
    stream_token: str
    expires_in: int


def _stream_signature(token_hash: str, conversation_id: str, expires: int) -> str:
    message = f"chat-stream:{conversation_id}:{expires}".encode()
    return hmac.new(token_hash.encode(), message, hashlib.sha256).hexdigest()


def _stream_token_valid(conversation: Conversation, stream_token: str) -> bool:
    expires_text, _, signature = stream_token.partition(".")
    expires = ascii_int(expires_text)  # not isdigit(): "¹²" passes that, then int() raises
    if conversation.token_hash is None or expires is None:
        return False
    expected = _stream_signature(conversation.token_hash, conversation.id, expires)
    return expires >= time.time() and hmac.compare_digest(signature, expected)


@router.post("/sessions/{session_id}/stream-token", response_model=StreamToken)
def stream_token(conversation: ChatConversationDep) -> StreamToken:
    assert conversation.token_hash is not None
    expires = int(time.time()) + STREAM_TOKEN_SECONDS
    signature = _stream_signature(conversation.token_hash, conversation.id, expires)
    return StreamToken(stream_token=f"{expires}.{signature}", expires_in=STREAM_TOKEN_SECONDS)


def _sse(event: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data)}\n\n"


def _poll(database_url: str, conversation_id: str, token_hash: str, after: int,
          idle_seconds: float) -> tuple[list[MessageOut], dict[str, Any] | None, bool]:
    """New messages and the conversation's state; no state means the stream must end."""
    with session_scope(database_url) as session:
        conversation = session.get(Conversation, conversation_id)
        if (conversation is None or conversation.token_hash != token_hash
                or (utcnow() - conversation.last_activity_at).total_seconds() > idle_seconds):
            return [], None, False
        messages, has_more = _messages_after(session, conversation_id, after, 100)
        state = {"state": conversation.state.value, "verified": conversation.client_id is not None}
        return messages, state, has_more


@router.get("/sessions/{session_id}/events")
async def events(session_id: PublicId, request: Request, settings: SettingsDep,
                 stream_token: Annotated[str, Query(max_length=200)],
                 after: Annotated[MessageCursor, Query()] = 0,
                 last_event_id: Annotated[str | None, Header(max_length=32)] = None,
                 ) -> StreamingResponse:
    """Server-sent events: `message` (one per message, id = message id), `state`, `end`."""

    def authorize() -> str:
        with session_scope(settings.database_url) as session:
            conversation = get_or_404(session, Conversation, session_id, "chat session")
            if not _stream_token_valid(conversation, stream_token):
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
    state_ = request.app.state
    poll_seconds = getattr(state_, "chat_stream_poll_seconds", STREAM_POLL_SECONDS)
    max_seconds = getattr(state_, "chat_stream_max_seconds", STREAM_MAX_SECONDS)
    idle_seconds = settings.chat_session_idle_minutes * 60
    closing: threading.Event = getattr(state_, "chat_streams_closing", None) or threading.Event()

    async def stream() -> AsyncIterator[str]:
        last_id, last_state = after, None
        started = last_write = time.monotonic()
        yield "retry: 2000\n\n"
        while True:
            messages, current, more = await anyio.to_thread.run_sync(
                _poll, settings.database_url, session_id, token_hash, last_id, idle_seconds)
            if current is None:  # ended, revoked or idle: the widget starts afresh
                yield _sse("end", {"reason": "session_ended"})
                return
            chunks = []
            for message in messages:
                last_id = message.id
                chunks.append(_sse("message", message.model_dump(mode="json"), event_id=message.id))
            if current != last_state:
                last_state = current
                chunks.append(_sse("state", current))
            now = time.monotonic()
            if chunks:
                last_write = now
                yield "".join(chunks)
            elif now - last_write >= STREAM_KEEPALIVE_SECONDS:
                last_write = now
                yield ": keep-alive\n\n"
            if now - started >= max_seconds or closing.is_set():
                return
            if not more:
                await anyio.sleep(poll_seconds)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


# --- Verification by a one-time code ------------------------------------------------------


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    date_of_birth: dt.date


class CodeRequested(BaseModel):
    detail: str


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str

    @field_validator("code")
    @classmethod
    def _six_digits(cls, value: str) -> str:
        value = "".join(value.split())
        # ASCII only: str.isdigit() also accepts superscripts and other scripts' digits.
        if len(value) != 6 or not all("0" <= char <= "9" for char in value):
            raise ValueError("the code is 6 digits")
        return value


class CodeResult(BaseModel):
    verified: bool
    error: Literal["wrong_code", "locked"] | None
    attempts_left: int
    state: StateName


@router.post("/sessions/{session_id}/verify/code-request", status_code=status.HTTP_202_ACCEPTED,
             response_model=CodeRequested, responses=TOO_MANY_RESPONSE)
def request_code(body: CodeRequest, conversation: ChatConversationDep, session: SessionDep,
                 request_id: RequestIdDep, request: Request,
                 limiter: RateLimiterDep) -> CodeRequested:
    """Text a code to the mobile on file. The answer is the same whether or not the details match
    (and whether or not the client's per-client cap on texts has been reached)."""
    source = source_address(request)
    wait = guard.source_wait(limiter, source, code_request=True)
    if wait is not None:
        raise too_many_requests(wait, CODES_THROTTLED)
    guard.count_source_code_request(limiter, source)  # every request: matched or not
    try:
        codes.request_code(session, conversation, body.name, body.date_of_birth,
                           request_id=request_id, source=source)
    except codes.TooManyCodeRequests:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            "too many codes requested in this chat; continue with your name and "
                            "date of birth, or ask for a person") from None
    return CodeRequested(detail=codes.CODE_SENT_NOTICE)


@router.post("/sessions/{session_id}/verify/code", response_model=CodeResult,
             responses=TOO_MANY_RESPONSE)
def check_code(body: CodeIn, conversation: ChatConversationDep, session: SessionDep,
               request_id: RequestIdDep, request: Request, limiter: RateLimiterDep) -> CodeResult:
    source = source_address(request)
    wait = guard.source_wait(limiter, source)
    if wait is not None:
        raise too_many_requests(wait, IDENTITY_THROTTLED)
    result = codes.check_code(session, conversation, body.code, request_id=request_id,
                              source=source)
    verified = result.outcome is codes.CodeOutcome.VERIFIED
    if not verified:
        guard.count_source_failure(limiter, source)
    return CodeResult(verified=verified, error=None if verified else result.outcome.value,
                      attempts_left=result.attempts_left, state=conversation.state.value)
