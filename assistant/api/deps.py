"""Dependencies shared by the routes: settings, a store session, the authenticated chat."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from assistant.api.types import PublicId
from assistant.config import Settings
from assistant.conversation.pipeline import Pipeline as TurnProcessor
from assistant.services import reps as rep_accounts
from assistant.store.engine import read_scope, session_scope
from assistant.store.models import Base, Conversation, Rep, RepRole, RepSession, utcnow


# Starlette's `State` is untyped: these name the type create_app (or the middleware) stored.
def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    with session_scope(settings.database_url) as session:
        yield session


# scope="function": the unit of work commits before the response is sent, so a client's
# next request sees what this one wrote (and a failed commit is a 500, not a lost write
# behind a 2xx).  FastAPI's default for yield dependencies ends them after the response.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_read_session(settings: SettingsDep) -> Iterator[Session]:
    """For handlers that only read: no write lock on SQLite, and any write is refused."""
    with read_scope(settings.database_url) as session:
        yield session


ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]


def get_turns(request: Request) -> TurnProcessor:
    turns: TurnProcessor = request.app.state.turns
    return turns


TurnsDep = Annotated[TurnProcessor, Depends(get_turns)]


def get_request_id(request: Request) -> str:
    request_id: str = request.state.request_id  # set by RequestContext for every request
    return request_id


RequestIdDep = Annotated[str, Depends(get_request_id)]


M = TypeVar("M", bound=Base)


def get_or_404(session: Session, model: type[M], key: object, what: str) -> M:
    found = session.get(model, key)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{what} not found")
    return found


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def get_chat_conversation(
    session_id: PublicId,
    session: SessionDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Conversation:
    """The web chat session, only for the holder of its bearer token."""
    return _authenticated_chat(session, session_id, settings, authorization)


def get_chat_conversation_to_read(
    session_id: PublicId,
    session: ReadSessionDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Conversation:
    """The same check for handlers that only read (their session is ReadSessionDep's)."""
    return _authenticated_chat(session, session_id, settings, authorization)


def _authenticated_chat(
    session: Session, session_id: str, settings: Settings, authorization: str | None
) -> Conversation:
    conversation = get_or_404(session, Conversation, session_id, "chat session")
    scheme, _, token = (authorization or "").partition(" ")
    if (
        scheme.lower() != "bearer"
        or not token
        or conversation.token_hash is None
        or not hmac.compare_digest(hash_secret(token), conversation.token_hash)
    ):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "missing or wrong chat session token", headers={"WWW-Authenticate": "Bearer"}
        )
    idle = utcnow() - conversation.last_activity_at
    if idle.total_seconds() > settings.chat_session_idle_minutes * 60:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "chat session expired; start a new one",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return conversation


ChatConversationDep = Annotated[Conversation, Depends(get_chat_conversation)]
ChatConversationReadDep = Annotated[Conversation, Depends(get_chat_conversation_to_read)]


# --- Rep console: session cookie, CSRF, roles ---------------------------------------------
# The check opens its own short transaction (not SessionDep): the console's event stream
# must not hold a database transaction open for as long as it runs.

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FORM_FIELD = "csrf_token"


async def _sent_csrf_token(request: Request) -> str:
    sent = request.headers.get(CSRF_HEADER)
    if sent:
        return sent
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FORM_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def get_rep_session(request: Request, settings: SettingsDep) -> RepSession:
    """The signed-in rep's session (401 without one); state-changing requests need its CSRF token."""
    token = request.cookies.get(rep_accounts.SESSION_COOKIE)

    def load() -> RepSession | None:
        with session_scope(settings.database_url) as session:
            return rep_accounts.session_for_token(session, token)

    record = await run_in_threadpool(load) if token else None
    if record is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "sign in to the console first")
    if request.method not in SAFE_METHODS:
        sent = await _sent_csrf_token(request)
        if not sent or not hmac.compare_digest(sent.encode(), record.csrf_token.encode()):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "missing or wrong CSRF token")
    return record


RepSessionDep = Annotated[RepSession, Depends(get_rep_session)]


def get_current_rep(record: RepSessionDep) -> Rep:
    return record.rep


CurrentRep = Annotated[Rep, Depends(get_current_rep)]


def get_current_admin(rep: CurrentRep) -> Rep:
    if rep.role is not RepRole.ADMIN:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only an admin can do this")
    return rep


CurrentAdmin = Annotated[Rep, Depends(get_current_admin)]
