"""Rep JSON API: what the console uses, and what integrations may use.

Everything here needs a signed-in rep (session cookie) except `POST /login`;
state-changing requests also need the session's CSRF token in `X-CSRF-Token`.
401 without a session, 403 for a wrong role, CSRF token or another practice's
conversation, 404 for what does not exist, 409 when a conversation is not in a
state that allows the change (e.g. another rep claimed it first).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.api.deps import (
    CurrentAdmin,
    CurrentRep,
    RepSessionDep,
    RequestIdDep,
    SessionDep,
    SettingsDep,
    get_current_admin,
    get_current_rep,
    get_or_404,
)
from assistant.api.types import CleanText, DayHours, DbId, IanaZoneName, MessageCursor, PublicId, Weekday
from assistant.config import Settings
from assistant.logs import get_logger
from assistant.services import admin as admin_ops
from assistant.services import audit
from assistant.services import console as ops
from assistant.services import reps as rep_accounts
from assistant.store.engine import session_scope
from assistant.store.models import (
    CannedResponse,
    Conversation,
    ConversationState,
    Practice,
    Rep,
    RepRole,
    RepSession,
    utcnow,
)

log = get_logger("api.rep")

router = APIRouter(prefix="/api/rep", tags=["rep"])
public = APIRouter()
# Any route added to these two is protected by default; the route-table test checks it too.
reps_only = APIRouter(dependencies=[Depends(get_current_rep)])
admins_only = APIRouter(dependencies=[Depends(get_current_admin)])

NO_STORE = {"Cache-Control": "no-store"}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_TEXT = 2000
EVENT_POLL_SECONDS = 1.0
EVENT_STREAM_SECONDS = 55.0   # the browser's EventSource reconnects by itself
EVENT_KEEPALIVE_SECONDS = 15.0


# --- helpers ---------------------------------------------------------------------------------

@contextmanager
def console_errors() -> Iterator[None]:
    try:
        yield
    except ops.ConsoleError as error:
        raise HTTPException(error.status_code, error.detail) from error
    except admin_ops.AdminError as error:
        raise HTTPException(422, str(error)) from error


def client_ip(request: Request) -> str:
    # The peer address; it already is the client's behind a trusted proxy (FORWARDED_ALLOW_IPS,
    # applied in create_app). Never read X-Forwarded-For here: anyone can send it.
    return request.client.host if request.client else "unknown"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        rep_accounts.SESSION_COOKIE, token, max_age=int(rep_accounts.SESSION_MAX_AGE.total_seconds()),
        path="/", httponly=True, samesite="lax",
        secure=(request.url.hostname or "") not in LOCAL_HOSTS)


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(rep_accounts.SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=(request.url.hostname or "") not in LOCAL_HOSTS)


def conversation_for(session: SessionDep, conversation_id: str, rep: Rep) -> Conversation:
    conversation = get_or_404(session, Conversation, conversation_id, "conversation")
    if conversation.practice_id != rep.practice_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this conversation belongs to another practice")
    return conversation


def practice_of_rep(session: SessionDep, rep: Rep) -> Practice:
    practice = session.get(Practice, rep.practice_id)
    assert practice is not None
    return practice


def me_out(rep: Rep, record: RepSession) -> dict[str, Any]:
    return {"rep": admin_ops.rep_out(rep), "csrf_token": record.csrf_token,
            "expires_at": record.expires_at.isoformat()}


def _not_empty(value: str) -> str:
    if not value:
        raise ValueError("text is empty")
    return value


class TextIn(BaseModel):
    """A rep's reply or note: control characters removed (CleanText), then it must say something."""

    model_config = ConfigDict(extra="forbid")

    text: CleanText = Field(max_length=MAX_TEXT)

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        return _not_empty(value)


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    return_to_bot: bool = False


# --- sign-in ---------------------------------------------------------------------------------

def sign_in_or_raise(session: SessionDep, settings: Settings, request: Request, email: str,
                     password: str, request_id: str) -> rep_accounts.SignedIn:
    """Shared by the JSON login and the console's sign-in form; failures are committed."""
    try:
        return rep_accounts.sign_in(session, email, password, ip=client_ip(request),
                                    production=settings.is_production, request_id=request_id)
    except rep_accounts.SignInError as error:
        session.commit()  # the failure counts toward the limit even though we answer with an error
        code = {"invalid": status.HTTP_401_UNAUTHORIZED,
                "throttled": status.HTTP_429_TOO_MANY_REQUESTS,
                "demo_disabled": status.HTTP_403_FORBIDDEN}[error.code]
        headers = ({"Retry-After": str(error.retry_after_seconds)}
                   if error.retry_after_seconds is not None else None)
        raise HTTPException(code, str(error), headers=headers) from error


@public.post("/login")
def login(body: LoginIn, request: Request, response: Response, session: SessionDep,
          settings: SettingsDep, request_id: RequestIdDep) -> dict[str, Any]:
    if not request.headers.get("content-type", "").startswith("application/json"):
        # Cross-site forms cannot send JSON: this keeps login CSRF out.
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send JSON")
    signed_in = sign_in_or_raise(session, settings, request, body.email, body.password, request_id)
    set_session_cookie(request, response, signed_in.token)
    response.headers.update(NO_STORE)
    return me_out(signed_in.rep, signed_in.record)


@reps_only.post("/logout")
def logout(request: Request, response: Response, session: SessionDep,
           request_id: RequestIdDep) -> dict[str, bool]:
    rep_accounts.sign_out(session, request.cookies.get(rep_accounts.SESSION_COOKIE), request_id)
    clear_session_cookie(request, response)
    return {"signed_out": True}


@reps_only.get("/me")
def me(rep: CurrentRep, record: RepSessionDep, response: Response) -> dict[str, Any]:
    response.headers.update(NO_STORE)
    return me_out(rep, record)


# --- conversations -------------------------------------------------------------------------

QueueState = Literal["handoff_pending", "with_rep", "resolved", "active"]


@reps_only.get("/conversations")
def list_conversations(rep: CurrentRep, session: SessionDep,
                       state: Annotated[QueueState, Query()] = "active") -> dict[str, Any]:
    states = ops.QUEUE_STATES if state == "active" else (ConversationState(state),)
    practice = practice_of_rep(session, rep)
    return {"conversations": ops.queue(session, practice, states), "now": utcnow().isoformat(),
            "response_window_minutes": practice.response_window_minutes}


@reps_only.get("/conversations/{conversation_id}")
def get_conversation(conversation_id: PublicId, rep: CurrentRep, session: SessionDep,
                     request_id: RequestIdDep, response: Response) -> dict[str, Any]:
    conversation = conversation_for(session, conversation_id, rep)
    response.headers.update(NO_STORE)
    with console_errors():
        return ops.conversation_detail(session, conversation, rep, request_id=request_id)


@reps_only.get("/conversations/{conversation_id}/messages")
def get_new_messages(conversation_id: PublicId, rep: CurrentRep, session: SessionDep,
                     request_id: RequestIdDep, response: Response,
                     after: Annotated[MessageCursor, Query()] = 0) -> dict[str, Any]:
    conversation = conversation_for(session, conversation_id, rep)
    response.headers.update(NO_STORE)
    with console_errors():
        return ops.new_messages(session, conversation, rep, after, request_id=request_id)


@reps_only.post("/conversations/{conversation_id}/claim")
def claim(conversation_id: PublicId, rep: CurrentRep, session: SessionDep,
          request_id: RequestIdDep) -> dict[str, Any]:
    conversation = conversation_for(session, conversation_id, rep)
    with console_errors():
        ticket = ops.claim(session, conversation, rep, request_id=request_id)
    return {"conversation_id": conversation.id, "state": conversation.state.value,
            "ticket": {"id": ticket.id, "state": ticket.state.value,
                       "claimed_by": ticket.claimed_by_rep_id}}


@reps_only.post("/conversations/{conversation_id}/messages", status_code=status.HTTP_201_CREATED)
def send_message(conversation_id: PublicId, body: TextIn, rep: CurrentRep, session: SessionDep,
                 request_id: RequestIdDep) -> dict[str, Any]:
    conversation = conversation_for(session, conversation_id, rep)
    with console_errors():
        message = ops.reply(session, conversation, rep, body.text, request_id=request_id)
    return ops._message_out(message)


@reps_only.post("/conversations/{conversation_id}/notes", status_code=status.HTTP_201_CREATED)
def add_note(conversation_id: PublicId, body: TextIn, rep: CurrentRep, session: SessionDep,
             request_id: RequestIdDep) -> dict[str, Any]:
    conversation = conversation_for(session, conversation_id, rep)
    with console_errors():
        note = ops.add_note(session, conversation, rep, body.text, request_id=request_id)
    return {"id": note.id, "rep": rep.display_name, "text": note.text,
            "created_at": note.created_at.isoformat()}


@reps_only.post("/conversations/{conversation_id}/resolve")
def resolve(conversation_id: PublicId, request: Request, rep: CurrentRep, session: SessionDep,
            request_id: RequestIdDep, body: ResolveIn | None = None) -> dict[str, Any]:
    body = body or ResolveIn()
    conversation = conversation_for(session, conversation_id, rep)
    with console_errors():
        ticket = ops.resolve(session, conversation, rep, return_to_bot=body.return_to_bot,
                             request_id=request_id)
    session.commit()
    # The bot starts afresh next time: no half-finished form from before the hand-off.
    request.app.state.bot.restart(conversation.id)
    return {"conversation_id": conversation.id, "state": conversation.state.value,
            "ticket": {"id": ticket.id, "state": ticket.state.value}}


@reps_only.get("/canned-responses")
def canned_responses(rep: CurrentRep, session: SessionDep) -> dict[str, Any]:
    return {"canned_responses": [admin_ops.canned_out(item)
                                 for item in admin_ops.list_canned(session, rep.practice_id)]}


# --- live updates ------------------------------------------------------------------------

def _poll(database_url: str, session_id: str, practice_id: int) -> dict[str, Any] | None:
    """The queue snapshot, or None once the rep's session has ended."""
    with session_scope(database_url) as session:
        record = session.get(RepSession, session_id)
        now = utcnow()
        if (record is None or record.expires_at <= now
                or now - record.last_seen_at > rep_accounts.SESSION_IDLE):
            return None
        rep = session.get(Rep, record.rep_id)
        if rep is None or not rep.active:
            return None
        if now - record.last_seen_at >= rep_accounts.SESSION_IDLE / 4:
            record.last_seen_at = now  # an open console keeps its session alive
        return ops.events_snapshot(session, practice_id)


@reps_only.get("/events")
async def events(request: Request, record: RepSessionDep, settings: SettingsDep) -> StreamingResponse:
    """Server-sent events: `queue` whenever the queue changes (polled about once a second)."""
    session_id, practice_id = record.id, record.rep.practice_id

    async def stream() -> AsyncIterator[str]:
        yield "retry: 2000\n\n"
        started = last_sent = time.monotonic()
        previous = None
        while time.monotonic() - started < EVENT_STREAM_SECONDS:
            if await request.is_disconnected():
                return
            snapshot = await run_in_threadpool(_poll, settings.database_url, session_id, practice_id)
            if snapshot is None:
                yield "event: signed_out\ndata: {}\n\n"
                return
            fingerprint = json.dumps(snapshot["queue"], sort_keys=True)
            if fingerprint != previous:
                previous, last_sent = fingerprint, time.monotonic()
                yield f"event: queue\ndata: {json.dumps(snapshot)}\n\n"
            elif time.monotonic() - last_sent > EVENT_KEEPALIVE_SECONDS:
                last_sent = time.monotonic()
                yield ": keep-alive\n\n"
            await asyncio.sleep(EVENT_POLL_SECONDS)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={**NO_STORE, "X-Accel-Buffering": "no"})


# --- admin: reps -------------------------------------------------------------------------

class RepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: CleanText = Field(min_length=3, max_length=254)
    display_name: CleanText = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)
    role: Literal["rep", "admin"] = "rep"

    @field_validator("email", "display_name")
    @classmethod
    def _given(cls, value: str) -> str:
        return _not_empty(value)


class RepPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: CleanText | None = Field(default=None, min_length=1, max_length=200)
    role: Literal["rep", "admin"] | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=1024)


def rep_in_practice(session: SessionDep, rep_id: int, admin: Rep) -> Rep:
    rep = get_or_404(session, Rep, rep_id, "rep")
    if rep.practice_id != admin.practice_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this rep belongs to another practice")
    return rep


@admins_only.get("/reps")
def list_reps(admin: CurrentAdmin, session: SessionDep) -> dict[str, Any]:
    return {"reps": [admin_ops.rep_out(rep) for rep in admin_ops.list_reps(session, admin.practice_id)]}


@admins_only.post("/reps", status_code=status.HTTP_201_CREATED)
def create_rep(body: RepIn, admin: CurrentAdmin, session: SessionDep) -> dict[str, Any]:
    with console_errors():
        rep = admin_ops.create_rep(session, admin, email=body.email, display_name=body.display_name,
                                   password=body.password, role=RepRole(body.role))
    return admin_ops.rep_out(rep)


@admins_only.patch("/reps/{rep_id}")
def update_rep(rep_id: DbId, body: RepPatch, admin: CurrentAdmin, session: SessionDep) -> dict[str, Any]:
    rep = rep_in_practice(session, rep_id, admin)
    with console_errors():
        admin_ops.update_rep(session, admin, rep, display_name=body.display_name,
                             role=RepRole(body.role) if body.role else None, active=body.active,
                             password=body.password)
    return admin_ops.rep_out(rep)


@admins_only.delete("/reps/{rep_id}")
def deactivate_rep(rep_id: DbId, admin: CurrentAdmin, session: SessionDep) -> dict[str, Any]:
    """Reps are deactivated, never deleted: the audit log keeps pointing at them."""
    rep = rep_in_practice(session, rep_id, admin)
    with console_errors():
        admin_ops.update_rep(session, admin, rep, active=False)
    return admin_ops.rep_out(rep)


# --- admin: canned responses ------------------------------------------------------------

class CannedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: CleanText = Field(min_length=1, max_length=100)
    body: CleanText = Field(min_length=1, max_length=MAX_TEXT)

    @field_validator("title", "body")
    @classmethod
    def _given(cls, value: str) -> str:
        return _not_empty(value)


def canned_in_practice(session: SessionDep, item_id: int, admin: Rep) -> CannedResponse:
    item = get_or_404(session, CannedResponse, item_id, "canned response")
    if item.practice_id != admin.practice_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this canned response belongs to another practice")
    return item


@admins_only.post("/canned-responses", status_code=status.HTTP_201_CREATED)
def create_canned(body: CannedIn, admin: CurrentAdmin, session: SessionDep) -> dict[str, Any]:
    return admin_ops.canned_out(admin_ops.save_canned(session, admin, None, title=body.title,
                                                      body=body.body))


@admins_only.patch("/canned-responses/{item_id}")
def update_canned(item_id: DbId, body: CannedIn, admin: CurrentAdmin, session: SessionDep) -> dict[str, Any]:
    item = canned_in_practice(session, item_id, admin)
    return admin_ops.canned_out(admin_ops.save_canned(session, admin, item, title=body.title,
                                                      body=body.body))


@admins_only.delete("/canned-responses/{item_id}")
def delete_canned(item_id: DbId, admin: CurrentAdmin, session: SessionDep) -> dict[str, bool]:
    admin_ops.delete_canned(session, admin, canned_in_practice(session, item_id, admin))
    return {"deleted": True}


# --- admin: practice settings -----------------------------------------------------------

class SettingsPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: IanaZoneName | None = None
    business_hours: dict[Weekday, DayHours] | None = None
    response_window_minutes: int | None = Field(default=None, ge=5, le=7 * 24 * 60)
    cancellation_window_hours: int | None = Field(default=None, ge=0, le=14 * 24)
    late_cancel_fee_cents: int | None = Field(default=None, ge=0, le=100_000)
    oncall_e164: str | None = Field(default=None, max_length=20)


@admins_only.get("/settings")
def get_settings(admin: CurrentAdmin, session: SessionDep) -> dict[str, Any]:
    return admin_ops.settings_out(practice_of_rep(session, admin))


@admins_only.patch("/settings")
def update_settings(body: SettingsPatch, admin: CurrentAdmin, session: SessionDep) -> dict[str, Any]:
    practice = practice_of_rep(session, admin)
    with console_errors():
        admin_ops.update_settings(session, admin, practice, body.model_dump(exclude_unset=True))
    return admin_ops.settings_out(practice)


# --- admin: audit log ------------------------------------------------------------------

@admins_only.get("/audit")
def audit_log(admin: CurrentAdmin, session: SessionDep,
              limit: Annotated[int, Query(ge=1, le=500)] = 100,
              before_id: Annotated[DbId | None, Query()] = None,
              action: Annotated[str | None, Query(max_length=100, pattern=r"^[a-z0-9_]*$")] = None,
              ) -> dict[str, Any]:
    events = admin_ops.audit_events(session, admin.practice_id, limit=limit, before_id=before_id,
                                    action=action)
    return {"events": [admin_ops.audit_out(event) for event in events]}


@admins_only.get("/audit.csv")
def audit_export(admin: CurrentAdmin, session: SessionDep, request_id: RequestIdDep) -> Response:
    audit.record(session, actor=f"rep:{admin.id}", action="audit_exported",
                 subject_type="practice", subject_id=admin.practice_id, request_id=request_id)
    body = "".join(admin_ops.audit_csv(session, admin.practice_id))
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={**NO_STORE,
                             "Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'})


router.include_router(public)
router.include_router(reps_only)
router.include_router(admins_only)
