"""What the rep routes share: errors mapped to HTTP, the session cookie, sign-in, and
loading a conversation only for a rep of its practice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException, Request, Response, status

from assistant.api.deps import (
    SessionDep,
    get_or_404,
)
from assistant.api.schemas.rep_admin import MePublic
from assistant.config import Settings
from assistant.services import admin as admin_ops
from assistant.services import console as ops
from assistant.services import reps as rep_accounts
from assistant.store.models import (
    Conversation,
    Practice,
    Rep,
    RepSession,
)

NO_STORE = {"Cache-Control": "no-store"}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


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
        rep_accounts.SESSION_COOKIE,
        token,
        max_age=int(rep_accounts.SESSION_MAX_AGE.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=(request.url.hostname or "") not in LOCAL_HOSTS,
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        rep_accounts.SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=(request.url.hostname or "") not in LOCAL_HOSTS,
    )


def conversation_for(session: SessionDep, conversation_id: str, rep: Rep) -> Conversation:
    conversation = get_or_404(session, Conversation, conversation_id, "conversation")
    if conversation.practice_id != rep.practice_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this conversation belongs to another practice")
    return conversation


def practice_of_rep(session: SessionDep, rep: Rep) -> Practice:
    practice = session.get(Practice, rep.practice_id)
    assert practice is not None
    return practice


def me_out(rep: Rep, record: RepSession) -> MePublic:
    return MePublic.model_validate(
        {"rep": admin_ops.rep_view(rep), "csrf_token": record.csrf_token, "expires_at": record.expires_at.isoformat()},
        from_attributes=True,
    )


def sign_in_or_raise(
    session: SessionDep, settings: Settings, request: Request, email: str, password: str, request_id: str
) -> rep_accounts.SignedIn:
    """Shared by the JSON login and the console's sign-in form; failures are committed."""
    try:
        return rep_accounts.sign_in(
            session, email, password, ip=client_ip(request), production=settings.is_production, request_id=request_id
        )
    except rep_accounts.SignInError as error:
        session.commit()  # the failure counts toward the limit even though we answer with an error
        code = {
            "invalid": status.HTTP_401_UNAUTHORIZED,
            "throttled": status.HTTP_429_TOO_MANY_REQUESTS,
            "demo_disabled": status.HTTP_403_FORBIDDEN,
        }[error.code]
        headers = {"Retry-After": str(error.retry_after_seconds)} if error.retry_after_seconds is not None else None
        raise HTTPException(code, str(error), headers=headers) from error
