"""The rep console's pages: sign-in, the console itself, the admin page, sign-out, and
their static script and styles.

Pages are shells; the scripts talk to the rep JSON API (`/api/rep`).  Every page
is served with a strict Content-Security-Policy (no inline script, nothing from
other origins), and message text is only ever put into the page as text.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Annotated, TypedDict

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.api import pages
from assistant.api.deps import (
    RequestIdDep,
    SessionDep,
    SettingsDep,
    get_rep_session,
)
from assistant.api.routes.rep_common import (
    LOCAL_HOSTS,
    clear_session_cookie,
    set_session_cookie,
    sign_in_or_raise,
)
from assistant.services import reps as rep_accounts
from assistant.services.sign_in_throttle import describe_wait
from assistant.store.models import Practice, RepRole, RepSession

router = APIRouter(prefix="/console", tags=["console"])

STATIC_DIR = Path(__file__).resolve().parent.parent / "console_static"
STATIC_FILES = {
    "console.js": "text/javascript; charset=utf-8",
    "console_queue.js": "text/javascript; charset=utf-8",
    "console_alerts.js": "text/javascript; charset=utf-8",
    "console_live.js": "text/javascript; charset=utf-8",
    "console_conversation.js": "text/javascript; charset=utf-8",
    "admin.js": "text/javascript; charset=utf-8",
    "calls.js": "text/javascript; charset=utf-8",
    "outreach.js": "text/javascript; charset=utf-8",
    "practice_questions.js": "text/javascript; charset=utf-8",
    "insights.js": "text/javascript; charset=utf-8",
    "insights.css": "text/css; charset=utf-8",
    "common.js": "text/javascript; charset=utf-8",
    "console.css": "text/css; charset=utf-8",
}
CONSOLE_SCRIPTS = (
    "common.js",
    "calls.js",
    "outreach.js",
    "console_queue.js",
    "console_alerts.js",
    "console_live.js",
    "console_conversation.js",
    "console.js",
)
SIGN_IN_PATH = "/console/sign-in"
SIGN_IN_COOKIE = "frontdesk_console_signin"  # double-submit CSRF token for the sign-in form

# media-src 'self': call recordings play from the gateway's own route, never from Twilio.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


async def console_session(request: Request, settings: SettingsDep) -> RepSession:
    """Like the API's session check, but a browser without a session is sent to sign in."""
    try:
        return await get_rep_session(request, settings)
    except HTTPException as error:
        if error.status_code == status.HTTP_401_UNAUTHORIZED:
            raise HTTPException(
                status.HTTP_303_SEE_OTHER, "sign in first", headers={"Location": SIGN_IN_PATH}
            ) from error
        raise


ConsoleSession = Annotated[RepSession, Depends(console_session)]


def page(
    template: str,
    title: str,
    *,
    csrf: str = "",
    scripts: tuple[str, ...] = (),
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    document = pages.render(template, title=title, csrf=csrf, scripts=scripts, **context)
    return HTMLResponse(document, status_code=status_code, headers=PAGE_HEADERS)


def _sign_in_page(request: Request, error: str = "", email: str = "", status_code: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = page(
        "console/sign_in.html",
        "Sign in · Front desk console",
        status_code=status_code,
        sign_in_path=SIGN_IN_PATH,
        form_token=token,
        error=error,
        email=email,
    )
    response.set_cookie(
        SIGN_IN_COOKIE,
        token,
        max_age=3600,
        path=SIGN_IN_PATH,
        httponly=True,
        samesite="strict",
        secure=(request.url.hostname or "") not in LOCAL_HOSTS,
    )
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, session: SessionDep) -> Response:
    if rep_accounts.session_for_token(session, request.cookies.get(rep_accounts.SESSION_COOKIE)):
        return RedirectResponse("/console", status.HTTP_303_SEE_OTHER)
    return _sign_in_page(request)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    request_id: RequestIdDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not csrf_token or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        return _sign_in_page(request, "Your sign-in form expired; please try again.", email, status.HTTP_403_FORBIDDEN)
    try:
        signed_in = sign_in_or_raise(session, settings, request, email, password, request_id)
    except HTTPException as error:
        retry_after = (error.headers or {}).get("Retry-After")
        wait = describe_wait(int(retry_after)) if retry_after else "a while"
        messages = {
            401: "Wrong email or password.",
            429: f"Too many failed sign-ins. Wait {wait} and try again.",
            403: "Demo accounts cannot sign in here.",
        }
        refused = _sign_in_page(request, messages.get(error.status_code, "Sign-in failed."), email, error.status_code)
        if retry_after:
            refused.headers["Retry-After"] = retry_after
        return refused
    destination = (
        "/console/admin"
        if signed_in.rep.role is RepRole.ADMIN and request.query_params.get("next") == "admin"
        else "/console"
    )
    response = RedirectResponse(destination, status.HTTP_303_SEE_OTHER)
    set_session_cookie(request, response, signed_in.token)
    response.delete_cookie(SIGN_IN_COOKIE, path=SIGN_IN_PATH)
    return response


class _Header(TypedDict):
    """What the top bar of every signed-in page shows (console/header.html)."""

    practice_name: str
    rep_name: str
    is_admin: bool
    current: str
    csrf: str


def header_context(record: RepSession, practice: Practice, current: str) -> _Header:
    return {
        "practice_name": practice.name,
        "rep_name": record.rep.display_name,
        "is_admin": record.rep.role is RepRole.ADMIN,
        "current": current,
        "csrf": record.csrf_token,
    }


@router.get("", response_class=HTMLResponse)
def console_page(record: ConsoleSession, session: SessionDep) -> HTMLResponse:
    practice = session.get(Practice, record.rep.practice_id)
    assert practice is not None
    return page(
        "console/console.html",
        "Front desk console",
        # In this order: each script uses only those before it (console.js's header says who does what).
        scripts=CONSOLE_SCRIPTS,
        **header_context(record, practice, "console"),
    )


@router.get("/admin", response_class=HTMLResponse)
def admin_page(record: ConsoleSession, session: SessionDep) -> HTMLResponse:
    practice = session.get(Practice, record.rep.practice_id)
    assert practice is not None
    if record.rep.role is not RepRole.ADMIN:
        return page(
            "console/admins_only.html",
            "Not allowed",
            scripts=("common.js",),
            status_code=403,
            **header_context(record, practice, "admin"),
        )
    return page(
        "console/admin.html",
        "Admin · Front desk console",
        scripts=("common.js", "admin.js"),
        **header_context(record, practice, "admin"),
    )


@router.get("/outreach", response_class=HTMLResponse)
def outreach_page(record: ConsoleSession, session: SessionDep) -> HTMLResponse:
    """The dropped-off worklist for every rep; the rules editor too for admins."""
    practice = session.get(Practice, record.rep.practice_id)
    assert practice is not None
    return page(
        "console/outreach.html",
        "Outreach · Front desk console",
        scripts=("common.js", "outreach.js"),
        **header_context(record, practice, "outreach"),
    )


@router.post("/sign-out", status_code=status.HTTP_303_SEE_OTHER, response_class=RedirectResponse)
def sign_out(request: Request, record: ConsoleSession, session: SessionDep, request_id: RequestIdDep) -> Response:
    rep_accounts.sign_out(session, request.cookies.get(rep_accounts.SESSION_COOKIE), request_id)
    response = RedirectResponse(SIGN_IN_PATH, status.HTTP_303_SEE_OTHER)
    clear_session_cookie(request, response)
    return response


@router.get(
    "/static/{name}",
    response_class=Response,
    responses={
        200: {
            "content": {"text/javascript": {"schema": {"type": "string"}}, "text/css": {"schema": {"type": "string"}}}
        }
    },
)
def static_file(name: str) -> Response:
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    return Response(
        (STATIC_DIR / name).read_bytes(),
        media_type=media_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"},
    )
