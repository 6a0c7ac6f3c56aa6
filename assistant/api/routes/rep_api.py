"""Rep JSON API: what the console uses, and what integrations may use.

Everything here needs a signed-in rep (session cookie) except `POST /login`;
state-changing requests also need the session's CSRF token in `X-CSRF-Token`.
401 without a session, 403 for a wrong role, CSRF token or another practice's
conversation, 404 for what does not exist, 409 when a conversation is not in a
state that allows the change (e.g. another rep claimed it first).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status

from assistant.api.deps import (
    CurrentRep,
    RepSessionDep,
    RequestIdDep,
    SessionDep,
    SettingsDep,
    get_current_rep,
)
from assistant.api.routes import rep_admin, rep_calls, rep_conversations, rep_insights, rep_outreach
from assistant.api.routes.rep_common import (
    NO_STORE,
    clear_session_cookie,
    me_out,
    set_session_cookie,
    sign_in_or_raise,
)
from assistant.api.schemas.common import SignedOutPublic
from assistant.api.schemas.rep_admin import MePublic
from assistant.api.schemas.rep_requests import LoginIn
from assistant.services import reps as rep_accounts

router = APIRouter(prefix="/api/rep", tags=["rep"])
public = APIRouter()
# Any route added to these is protected by default; the route-table test checks it too.
reps_only = APIRouter(dependencies=[Depends(get_current_rep)])


@public.post("/login", response_model=MePublic)
def login(
    body: LoginIn,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    request_id: RequestIdDep,
) -> MePublic:
    if not request.headers.get("content-type", "").startswith("application/json"):
        # Cross-site forms cannot send JSON: this keeps login CSRF out.
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send JSON")
    signed_in = sign_in_or_raise(session, settings, request, body.email, body.password, request_id)
    set_session_cookie(request, response, signed_in.token)
    response.headers.update(NO_STORE)
    return me_out(signed_in.rep, signed_in.record)


@reps_only.post("/logout", response_model=SignedOutPublic)
def logout(request: Request, response: Response, session: SessionDep, request_id: RequestIdDep) -> SignedOutPublic:
    rep_accounts.sign_out(session, request.cookies.get(rep_accounts.SESSION_COOKIE), request_id)
    clear_session_cookie(request, response)
    return SignedOutPublic(signed_out=True)


@reps_only.get("/me", response_model=MePublic)
def me(rep: CurrentRep, record: RepSessionDep, response: Response) -> MePublic:
    response.headers.update(NO_STORE)
    return me_out(rep, record)


router.include_router(public)
router.include_router(reps_only)
router.include_router(rep_conversations.router)
router.include_router(rep_calls.router)
router.include_router(rep_admin.router)
router.include_router(rep_outreach.router)
router.include_router(rep_insights.router)
