"""Rep API: the queue, a conversation's transcript, claim, reply, notes, resolve, and the
live queue stream (server-sent events). Every route needs a signed-in rep."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse, ServerSentEvent

from assistant.api import sse
from assistant.api.deps import (
    CurrentRep,
    ReadSessionDep,
    RepSessionDep,
    RequestIdDep,
    SessionDep,
    SettingsDep,
    get_current_rep,
)
from assistant.api.routes.rep_common import (
    NO_STORE,
    console_errors,
    conversation_for,
    practice_of_rep,
)
from assistant.api.schemas.media import EventStream
from assistant.api.schemas.rep_admin import CannedResponsesPublic
from assistant.api.schemas.rep_conversations import (
    ClaimedPublic,
    ClaimedTicketPublic,
    ConversationListPublic,
    ConversationPublic,
    MessagePublic,
    NewMessagesPublic,
    NotePublic,
    ResolvedPublic,
    ResolvedTicketPublic,
)
from assistant.api.schemas.rep_requests import (
    ResolveIn,
    TextIn,
)
from assistant.api.types import MessageCursor, PublicId
from assistant.live.changes import live_changes_of
from assistant.services import admin as admin_ops
from assistant.services import console as ops
from assistant.services import console_previews as previews
from assistant.services import console_queue
from assistant.services import console_reads as reads
from assistant.services import reps as rep_accounts
from assistant.services.console_views import (
    ConversationDetail,
    MessageView,
    NewMessages,
    NoteView,
)
from assistant.store.engine import read_scope, session_scope
from assistant.store.models import (
    ConversationState,
    Rep,
    RepSession,
    utcnow,
)

router = APIRouter(dependencies=[Depends(get_current_rep)])

EVENT_POLL_SECONDS = 1.0
EVENT_LISTENING_POLL_SECONDS = 10.0  # with notifications (PostgreSQL): only in case one was lost
EVENT_STREAM_SECONDS = 55.0  # the browser's EventSource reconnects by itself


# --- conversations -------------------------------------------------------------------------

QueueState = Literal["handoff_pending", "with_rep", "resolved", "active"]


@router.get("/conversations", response_model=ConversationListPublic)
def list_conversations(
    rep: CurrentRep,
    session: ReadSessionDep,
    settings: SettingsDep,
    request_id: RequestIdDep,
    response: Response,
    state: Annotated[QueueState, Query()] = "active",
) -> ConversationListPublic:
    states = console_queue.QUEUE_STATES if state == "active" else (ConversationState(state),)
    practice = practice_of_rep(session, rep)
    items = console_queue.queue(session, practice, states)
    previews.audit_shown(settings.database_url, session, rep.id, items, request_id=request_id)
    response.headers.update(NO_STORE)  # it carries clients' words now, like a transcript
    return ConversationListPublic.model_validate(
        {
            "conversations": items,
            "now": utcnow().isoformat(),
            "response_window_minutes": practice.response_window_minutes,
            "timezone": practice.timezone,
        },
        from_attributes=True,
    )


@router.get("/conversations/{conversation_id}", response_model=ConversationPublic)
def get_conversation(
    conversation_id: PublicId, rep: CurrentRep, session: SessionDep, request_id: RequestIdDep, response: Response
) -> ConversationDetail:
    conversation = conversation_for(session, conversation_id, rep)
    response.headers.update(NO_STORE)
    with console_errors():
        return reads.conversation_detail(session, conversation, rep, request_id=request_id)


@router.get("/conversations/{conversation_id}/messages", response_model=NewMessagesPublic)
def get_new_messages(
    conversation_id: PublicId,
    rep: CurrentRep,
    session: SessionDep,
    request_id: RequestIdDep,
    response: Response,
    after: Annotated[MessageCursor, Query()] = 0,
) -> NewMessages:
    conversation = conversation_for(session, conversation_id, rep)
    response.headers.update(NO_STORE)
    with console_errors():
        return reads.new_messages(session, conversation, rep, after, request_id=request_id)


@router.post("/conversations/{conversation_id}/claim", response_model=ClaimedPublic)
def claim(conversation_id: PublicId, rep: CurrentRep, session: SessionDep, request_id: RequestIdDep) -> ClaimedPublic:
    conversation = conversation_for(session, conversation_id, rep)
    with console_errors():
        ticket = ops.claim(session, conversation, rep, request_id=request_id)
    return ClaimedPublic(
        conversation_id=conversation.id,
        state=conversation.state,
        ticket=ClaimedTicketPublic(id=ticket.id, state=ticket.state, claimed_by=ticket.claimed_by_rep_id),
    )


@router.post(
    "/conversations/{conversation_id}/messages", status_code=status.HTTP_201_CREATED, response_model=MessagePublic
)
def send_message(
    conversation_id: PublicId, body: TextIn, rep: CurrentRep, session: SessionDep, request_id: RequestIdDep
) -> MessageView:
    conversation = conversation_for(session, conversation_id, rep)
    with console_errors():
        message = ops.reply(session, conversation, rep, body.text, request_id=request_id)
    return reads.message_view(message, rep.display_name)


@router.post("/conversations/{conversation_id}/notes", status_code=status.HTTP_201_CREATED, response_model=NotePublic)
def add_note(
    conversation_id: PublicId, body: TextIn, rep: CurrentRep, session: SessionDep, request_id: RequestIdDep
) -> NoteView:
    conversation = conversation_for(session, conversation_id, rep)
    with console_errors():
        note = ops.add_note(session, conversation, rep, body.text, request_id=request_id)
    return reads.note_view(note, rep.display_name)


@router.post("/conversations/{conversation_id}/resolve", response_model=ResolvedPublic)
def resolve(
    conversation_id: PublicId,
    request: Request,
    rep: CurrentRep,
    session: SessionDep,
    request_id: RequestIdDep,
    body: ResolveIn | None = None,
) -> ResolvedPublic:
    body = body or ResolveIn()
    conversation = conversation_for(session, conversation_id, rep)
    with console_errors():
        ticket = ops.resolve(session, conversation, rep, return_to_bot=body.return_to_bot, request_id=request_id)
    session.commit()
    # The bot starts afresh next time: no half-finished form from before the hand-off.
    request.app.state.bot.restart(conversation.id)
    return ResolvedPublic(
        conversation_id=conversation.id,
        state=conversation.state,
        ticket=ResolvedTicketPublic(id=ticket.id, state=ticket.state),
    )


@router.get("/canned-responses", response_model=CannedResponsesPublic)
def canned_responses(rep: CurrentRep, session: ReadSessionDep) -> CannedResponsesPublic:
    items = [admin_ops.canned_view(item) for item in admin_ops.list_canned(session, rep.practice_id)]
    return CannedResponsesPublic.model_validate({"canned_responses": items}, from_attributes=True)


# --- live updates ------------------------------------------------------------------------


def _poll(database_url: str, session_id: str, practice_id: int, request_id: str | None) -> dict[str, Any] | None:
    """The queue snapshot, or None once the rep's session has ended.  Read without the
    write lock; the session is kept alive by a short write only when that is due."""
    with read_scope(database_url) as session:
        record = session.get(RepSession, session_id)
        now = utcnow()
        if record is None or record.expires_at <= now or now - record.last_seen_at > rep_accounts.SESSION_IDLE:
            return None
        rep = session.get(Rep, record.rep_id)
        if rep is None or not rep.active:
            return None
        touch = now - record.last_seen_at >= rep_accounts.SESSION_IDLE / 4
        snapshot = console_queue.queue_snapshot(session, practice_id)
        # Every snapshot sent to this rep is a queue response: its new previews are audited.
        previews.audit_shown(database_url, session, rep.id, snapshot.queue, request_id=request_id)
    if touch:
        with session_scope(database_url) as session:
            live = session.get(RepSession, session_id)
            if live is not None:
                live.last_seen_at = now  # an open console keeps its session alive
    return console_queue.events_snapshot(snapshot)


@router.get("/events", response_class=EventStream)
async def events(
    request: Request, record: RepSessionDep, settings: SettingsDep, request_id: RequestIdDep
) -> EventSourceResponse:
    """Server-sent events: `queue` whenever the queue changes (on PostgreSQL woken by NOTIFY,
    else polled about once a second)."""
    session_id, practice_id = record.id, record.rep.practice_id
    live = live_changes_of(request.app.state)

    async def stream() -> AsyncIterator[ServerSentEvent]:
        yield sse.retry_advice()
        started = time.monotonic()
        previous = None
        # On PostgreSQL, woken by any conversation's change (assistant/live/); else polled.
        with live.subscribe() as changes:
            while time.monotonic() - started < EVENT_STREAM_SECONDS:
                changes.clear()
                snapshot = await run_in_threadpool(_poll, settings.database_url, session_id, practice_id, request_id)
                if snapshot is None:
                    yield sse.event("signed_out", {})
                    return
                fingerprint = json.dumps(snapshot["queue"], sort_keys=True)
                if fingerprint != previous:
                    previous = fingerprint
                    yield sse.event("queue", snapshot)
                interval = EVENT_LISTENING_POLL_SECONDS if live.listening else EVENT_POLL_SECONDS
                await changes.wait(min(interval, EVENT_STREAM_SECONDS - (time.monotonic() - started)))

    # sse-starlette sends the keep-alive comments, notices a closed tab and ends the stream
    # when the server stops.
    return sse.event_stream(stream())
