"""Web chat JSON API: the contract the website widget is built on.

Besides sending messages: reading the transcript (`GET .../messages?after=`), a
live stream of new messages (server-sent events, `GET .../events`, in chat_events.py),
ending a chat (`DELETE`, which revokes the token), and verification by a one-time code
texted to the mobile on file.  Every per-session endpoint needs the session's bearer
token, except the event stream, which EventSource cannot give headers to: it takes a
short-lived stream token minted with the bearer token (see chat_events.py).
"""

from __future__ import annotations

from typing import Annotated, assert_never

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status

from assistant.api.cors import require_allowed_origin
from assistant.api.deps import (
    ChatConversationDep,
    ChatConversationReadDep,
    ReadSessionDep,
    RequestIdDep,
    SessionDep,
    SettingsDep,
    TurnsDep,
)
from assistant.api.routes import chat_events
from assistant.api.schemas.chat import (
    SLUG_PATTERN,
    Button,
    CodeError,
    CodeIn,
    CodeRequest,
    CodeRequestedPublic,
    CodeResultPublic,
    MessageIn,
    PracticePublic,
    Reply,
    SessionCreate,
    SessionCreatedPublic,
    TranscriptPublic,
    TurnPublic,
    message_out,
)
from assistant.api.throttle import (
    TOO_MANY_RESPONSE,
    RateLimiterDep,
    source_address,
    too_many_requests,
)
from assistant.api.types import MessageCursor
from assistant.conversation.pipeline import accept
from assistant.conversation.state import transition
from assistant.services import audit, chat_sessions
from assistant.services import identity_guard as guard
from assistant.services import verification_codes as codes
from assistant.store.models import ConversationState

router = APIRouter(prefix="/api/chat", tags=["chat"])
router.include_router(chat_events.router)


@router.get("/practices/{slug}", response_model=PracticePublic)
def practice_info(slug: Annotated[str, Path(pattern=SLUG_PATTERN)], session: ReadSessionDep) -> PracticePublic:
    """What the widget shows before a chat starts (public: the practice's name)."""
    practice = chat_sessions.practice_by_slug(session, slug)
    if practice is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "practice not found")
    return PracticePublic(slug=practice.slug, name=practice.name, timezone=practice.timezone)


# Said with every 429 for identity attempts: when to come back, and the ways that still work.
IDENTITY_THROTTLED = (
    "too many identity checks from this address; try again after the "
    "Retry-After seconds, chat without your details for general questions, "
    "or call the practice"
)
CODES_THROTTLED = (
    "too many code requests from this address; try again after the Retry-After seconds, or call the practice"
)


@router.post(
    "/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionCreatedPublic, responses=TOO_MANY_RESPONSE
)
def create_session(
    session: SessionDep,
    settings: SettingsDep,
    request_id: RequestIdDep,
    request: Request,
    limiter: RateLimiterDep,
    body: SessionCreate | None = None,
) -> SessionCreatedPublic:
    """Start a chat; with name and date of birth, also try to verify it.

    `verified: false` reads the same for wrong details and for a client whose name+DOB
    check is locked (identity_guard); failures are throttled per address (429).
    """
    slug = body.practice if body is not None and body.practice else None
    practice = chat_sessions.practice_by_slug(session, slug or settings.practice_slug)
    if practice is None and slug is not None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "practice not found")
    if practice is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "practice is not set up yet: run `assistant demo-data`"
        )
    require_allowed_origin(request, practice, settings)
    name = body.name if body is not None else None
    date_of_birth = body.date_of_birth if body is not None else None
    source = source_address(request)
    if name is not None and date_of_birth is not None:
        wait = guard.source_wait(limiter, source)
        if wait is not None:
            raise too_many_requests(wait, IDENTITY_THROTTLED)
    started = chat_sessions.start_chat(
        session, practice, name=name, date_of_birth=date_of_birth, source=source, request_id=request_id
    )
    if started.verification_failed:
        guard.count_source_failure(limiter, source)
    return SessionCreatedPublic(session_id=started.conversation.id, token=started.token, verified=started.verified)


@router.post("/sessions/{session_id}/messages", response_model=TurnPublic, response_model_exclude_none=True)
def post_message(
    body: MessageIn, conversation: ChatConversationDep, session: SessionDep, turns: TurnsDep, request_id: RequestIdDep
) -> TurnPublic:
    message = accept(session, conversation.id, body.text, request_id=request_id)
    session.commit()  # the message is safe before any processing starts
    result = turns.process(message.id)
    return TurnPublic(
        replies=[Reply(text=r.text, buttons=[Button(**b) for b in r.buttons]) for r in result.replies],
        state=result.state.value,
        pending=True if result.pending else None,
    )


# --- Reading the conversation -------------------------------------------------------------


@router.get("/sessions/{session_id}/messages", response_model=TranscriptPublic)
def read_messages(
    conversation: ChatConversationReadDep,
    session: ReadSessionDep,
    after: Annotated[MessageCursor, Query()] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> TranscriptPublic:
    """The transcript (every author), oldest first, from after message id `after`."""
    page = chat_sessions.messages_after(session, conversation.id, after, limit)
    return TranscriptPublic(
        messages=[message_out(m, page.rep_names) for m in page.messages],
        state=conversation.state.value,
        verified=conversation.client_id is not None,
        has_more=page.has_more,
    )


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def end_session(conversation: ChatConversationDep, session: SessionDep, request_id: RequestIdDep) -> Response:
    """The widget's "End chat": the token stops working at once (an open stream closes too)."""
    conversation.token_hash = None
    if conversation.state is ConversationState.BOT:
        transition(conversation, ConversationState.RESOLVED, reason="chat_ended", actor="client")
    audit.record(
        session,
        actor=f"client:{conversation.client_id}" if conversation.client_id else "client",
        action="chat_ended",
        subject_type="conversation",
        subject_id=conversation.id,
        request_id=request_id,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- Verification by a one-time code ------------------------------------------------------


@router.post(
    "/sessions/{session_id}/verify/code-request",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CodeRequestedPublic,
    responses=TOO_MANY_RESPONSE,
)
def request_code(
    body: CodeRequest,
    conversation: ChatConversationDep,
    session: SessionDep,
    request_id: RequestIdDep,
    request: Request,
    limiter: RateLimiterDep,
) -> CodeRequestedPublic:
    """Text a code to the mobile on file. The answer is the same whether or not the details match
    (and whether or not the client's per-client cap on texts has been reached)."""
    source = source_address(request)
    wait = guard.source_wait(limiter, source, code_request=True)
    if wait is not None:
        raise too_many_requests(wait, CODES_THROTTLED)
    guard.count_source_code_request(limiter, source)  # every request: matched or not
    try:
        codes.request_code(session, conversation, body.name, body.date_of_birth, request_id=request_id, source=source)
    except codes.TooManyCodeRequests:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many codes requested in this chat; continue with your name and date of birth, or ask for a person",
        ) from None
    return CodeRequestedPublic(detail=codes.CODE_SENT_NOTICE)


def _code_error(outcome: codes.CodeOutcome) -> CodeError | None:
    # Spelled out so that a new outcome is a type error here, not an unlisted value in the API.
    match outcome:
        case codes.CodeOutcome.VERIFIED:
            return None
        case codes.CodeOutcome.WRONG:
            return "wrong_code"
        case codes.CodeOutcome.LOCKED:
            return "locked"
        case _:
            assert_never(outcome)


@router.post("/sessions/{session_id}/verify/code", response_model=CodeResultPublic, responses=TOO_MANY_RESPONSE)
def check_code(
    body: CodeIn,
    conversation: ChatConversationDep,
    session: SessionDep,
    request_id: RequestIdDep,
    request: Request,
    limiter: RateLimiterDep,
) -> CodeResultPublic:
    source = source_address(request)
    wait = guard.source_wait(limiter, source)
    if wait is not None:
        raise too_many_requests(wait, IDENTITY_THROTTLED)
    result = codes.check_code(session, conversation, body.code, request_id=request_id, source=source)
    verified = result.outcome is codes.CodeOutcome.VERIFIED
    if not verified:
        guard.count_source_failure(limiter, source)
    return CodeResultPublic(
        verified=verified,
        error=_code_error(result.outcome),
        attempts_left=result.attempts_left,
        state=conversation.state.value,
    )
