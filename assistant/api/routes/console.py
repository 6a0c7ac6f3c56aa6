"""The rep console's pages: sign-in, the console itself, the admin page, sign-out, and
their static script and styles.

Pages are shells; the scripts talk to the rep JSON API (`/api/rep`).  Every page
is served with a strict Content-Security-Policy (no inline script, nothing from
other origins), and message text is only ever put into the page as text.
"""

from __future__ import annotations

import hmac
import html
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.api.deps import (
    RequestIdDep,
    SessionDep,
    SettingsDep,
    get_rep_session,
)
from assistant.api.routes.rep_api import (
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
    "admin.js": "text/javascript; charset=utf-8",
    "common.js": "text/javascript; charset=utf-8",
    "console.css": "text/css; charset=utf-8",
}
SIGN_IN_PATH = "/console/sign-in"
SIGN_IN_COOKIE = "frontdesk_console_signin"  # double-submit CSRF token for the sign-in form

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; media-src 'none'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
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
            raise HTTPException(status.HTTP_303_SEE_OTHER, "sign in first",
                                headers={"Location": SIGN_IN_PATH}) from error
        raise


ConsoleSession = Annotated[RepSession, Depends(console_session)]


def page(title: str, body: str, *, csrf: str = "", scripts: tuple[str, ...] = (),
         status_code: int = 200) -> HTMLResponse:
    meta = f'<meta name="csrf-token" content="{html.escape(csrf)}">' if csrf else ""
    script_tags = "".join(f'<script src="/console/static/{name}" defer></script>' for name in scripts)
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>{meta}"
        '<link rel="stylesheet" href="/console/static/console.css">'
        f"{script_tags}</head><body>{body}</body></html>")
    return HTMLResponse(document, status_code=status_code, headers=PAGE_HEADERS)


def _sign_in_form(token: str, error: str = "", email: str = "") -> str:
    alert = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return f"""<main class="sign-in"><h1>Front desk console</h1>
<p>Sign in to answer clients who are waiting for a person.</p>{alert}
<form method="post" action="{SIGN_IN_PATH}">
<input type="hidden" name="csrf_token" value="{html.escape(token)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="{html.escape(email)}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form></main>"""


def _sign_in_page(request: Request, error: str = "", email: str = "",
                  status_code: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = page("Sign in · Front desk console", _sign_in_form(token, error, email),
                    status_code=status_code)
    response.set_cookie(SIGN_IN_COOKIE, token, max_age=3600, path=SIGN_IN_PATH, httponly=True,
                        samesite="strict", secure=(request.url.hostname or "") not in LOCAL_HOSTS)
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, session: SessionDep) -> Response:
    if rep_accounts.session_for_token(session, request.cookies.get(rep_accounts.SESSION_COOKIE)):
        return RedirectResponse("/console", status.HTTP_303_SEE_OTHER)
    return _sign_in_page(request)


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, session: SessionDep, settings: SettingsDep, request_id: RequestIdDep,
            email: Annotated[str, Form(max_length=254)] = "",
            password: Annotated[str, Form(max_length=1024)] = "",
            csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not csrf_token or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        return _sign_in_page(request, "Your sign-in form expired; please try again.", email,
                             status.HTTP_403_FORBIDDEN)
    try:
        signed_in = sign_in_or_raise(session, settings, request, email, password, request_id)
    except HTTPException as error:
        retry_after = (error.headers or {}).get("Retry-After")
        wait = describe_wait(int(retry_after)) if retry_after else "a while"
        messages = {401: "Wrong email or password.",
                    429: f"Too many failed sign-ins. Wait {wait} and try again.",
                    403: "Demo accounts cannot sign in here."}
        refused = _sign_in_page(request, messages.get(error.status_code, "Sign-in failed."), email,
                                error.status_code)
        if retry_after:
            refused.headers["Retry-After"] = retry_after
        return refused
    destination = "/console/admin" if signed_in.rep.role is RepRole.ADMIN and \
        request.query_params.get("next") == "admin" else "/console"
    response = RedirectResponse(destination, status.HTTP_303_SEE_OTHER)
    set_session_cookie(request, response, signed_in.token)
    response.delete_cookie(SIGN_IN_COOKIE, path=SIGN_IN_PATH)
    return response


def _header(record: RepSession, practice: Practice, current: str) -> str:
    rep = record.rep
    admin_link = ""
    if rep.role is RepRole.ADMIN:
        admin_link = ('<a href="/console">Queue</a>' if current == "admin"
                      else '<a href="/console/admin">Admin</a>')
    return f"""<header class="top">
<p class="brand">{html.escape(practice.name)} · Front desk console</p>
<nav aria-label="Console">
<span class="who">Signed in as {html.escape(rep.display_name)}{' (admin)' if rep.role is RepRole.ADMIN else ''}</span>
<button type="button" id="enable-alerts">Turn on sound and desktop alerts</button>
{admin_link}
<form method="post" action="/console/sign-out" class="inline">
<input type="hidden" name="csrf_token" value="{html.escape(record.csrf_token)}">
<button type="submit">Sign out</button></form>
</nav></header>"""


CONSOLE_BODY = """<main class="console">
<section id="queue-panel" aria-labelledby="queue-title">
<h1 id="queue-title" tabindex="-1">Queue <span id="queue-count"></span></h1>
<div class="filters" role="group" aria-label="Show">
<button type="button" id="show-active" aria-pressed="true">Waiting and in progress</button>
<button type="button" id="show-resolved" aria-pressed="false">Recently resolved</button>
</div>
<p id="queue-empty" hidden>No one is waiting. New hand-offs appear here by themselves.</p>
<ul id="queue" aria-label="Queue, most urgent first"></ul>
</section>
<section id="conversation-panel" aria-labelledby="conversation-title" hidden>
<h2 id="conversation-title" tabindex="-1"></h2>
<div id="conversation-meta" class="meta"></div>
<div class="actions">
<button type="button" id="claim">Claim</button>
<button type="button" id="resolve">Resolve</button>
<button type="button" id="return-to-bot">Return to bot</button>
</div>
<div class="columns">
<div class="transcript-column">
<h3>Transcript</h3>
<ol id="transcript" aria-label="Transcript"></ol>
<form id="reply-form">
<label for="canned">Canned response</label>
<select id="canned"><option value="">Choose a canned response…</option></select>
<label for="reply-text">Reply to the client</label>
<textarea id="reply-text" rows="3" maxlength="2000" required></textarea>
<button type="submit" id="send-reply">Send reply</button>
<p id="reply-hint" class="hint"></p>
</form>
</div>
<aside class="context-column" aria-label="Context">
<h3>Client</h3><dl id="client-summary"></dl>
<h3>What the bot knew</h3><dl id="ticket-context"></dl>
<h3>Private notes</h3>
<ol id="notes"></ol>
<form id="note-form">
<label for="note-text">Add a private note (never sent to the client)</label>
<textarea id="note-text" rows="2" maxlength="2000" required></textarea>
<button type="submit">Add note</button>
</form>
</aside>
</div>
</section>
</main>
<div id="status" role="status" aria-live="polite" class="status"></div>
<div id="announcer" class="visually-hidden" aria-live="assertive"></div>"""


ADMIN_BODY = """<main class="admin">
<h1>Admin</h1>
<div id="status" role="status" aria-live="polite" class="status"></div>
<section aria-labelledby="reps-title"><h2 id="reps-title">Reps</h2>
<table><thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th>
<th scope="col">Active</th><th scope="col">Actions</th></tr></thead><tbody id="reps"></tbody></table>
<form id="rep-form"><h3>Add a rep</h3>
<label for="rep-name">Name</label><input id="rep-name" required maxlength="200">
<label for="rep-email">Email</label><input id="rep-email" type="email" required maxlength="254">
<label for="rep-password">Password (at least 12 characters)</label>
<input id="rep-password" type="password" required minlength="12" autocomplete="new-password">
<label for="rep-role">Role</label><select id="rep-role"><option value="rep">Rep</option><option value="admin">Admin</option></select>
<button type="submit">Add rep</button></form>
</section>
<section aria-labelledby="canned-title"><h2 id="canned-title">Canned responses</h2>
<p class="hint">Variables: {client_first_name}, {next_appointment}, {practice_name}.</p>
<ul id="canned-list"></ul>
<form id="canned-form"><h3 id="canned-form-title">Add a canned response</h3>
<input type="hidden" id="canned-id">
<label for="canned-title-input">Title</label><input id="canned-title-input" required maxlength="100">
<label for="canned-body">Text</label><textarea id="canned-body" rows="3" required maxlength="2000"></textarea>
<button type="submit">Save</button> <button type="button" id="canned-cancel">Cancel</button></form>
</section>
<section aria-labelledby="settings-title"><h2 id="settings-title">Practice settings</h2>
<form id="settings-form">
<fieldset><legend>Front desk hours (practice time, e.g. 09:00-17:00; several ranges separated by commas; empty = closed)</legend>
<div id="hours-fields"></div></fieldset>
<label for="timezone">Timezone</label><input id="timezone" required maxlength="64">
<label for="response-window">Response window (minutes)</label><input id="response-window" type="number" min="5" max="10080" required>
<label for="cancel-window">Cancellation window (hours)</label><input id="cancel-window" type="number" min="0" max="336" required>
<label for="cancel-fee">Late cancellation fee (dollars)</label><input id="cancel-fee" type="number" min="0" max="1000" step="0.01" required>
<label for="oncall">On-call number for crisis alerts (e.g. +15555550199)</label><input id="oncall" maxlength="20">
<button type="submit">Save settings</button></form>
</section>
<section aria-labelledby="audit-title"><h2 id="audit-title">Audit log</h2>
<p><a href="/api/rep/audit.csv" download>Export CSV</a></p>
<table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th>
<th scope="col">Subject</th><th scope="col">Details</th></tr></thead><tbody id="audit"></tbody></table>
<button type="button" id="audit-more">Load older</button>
</section>
</main>"""


@router.get("", response_class=HTMLResponse)
def console_page(record: ConsoleSession, session: SessionDep) -> HTMLResponse:
    practice = session.get(Practice, record.rep.practice_id)
    assert practice is not None
    return page("Front desk console", _header(record, practice, "console") + CONSOLE_BODY,
                csrf=record.csrf_token, scripts=("common.js", "console.js"))


@router.get("/admin", response_class=HTMLResponse)
def admin_page(record: ConsoleSession, session: SessionDep) -> HTMLResponse:
    practice = session.get(Practice, record.rep.practice_id)
    assert practice is not None
    if record.rep.role is not RepRole.ADMIN:
        return page("Not allowed", _header(record, practice, "admin")
                    + "<main><h1>Admins only</h1><p>Ask an admin for access.</p></main>",
                    csrf=record.csrf_token, scripts=("common.js",), status_code=403)
    return page("Admin · Front desk console", _header(record, practice, "admin") + ADMIN_BODY,
                csrf=record.csrf_token, scripts=("common.js", "admin.js"))


@router.post("/sign-out")
def sign_out(request: Request, record: ConsoleSession, session: SessionDep,
             request_id: RequestIdDep) -> Response:
    rep_accounts.sign_out(session, request.cookies.get(rep_accounts.SESSION_COOKIE), request_id)
    response = RedirectResponse(SIGN_IN_PATH, status.HTTP_303_SEE_OTHER)
    clear_session_cookie(request, response)
    return response


@router.get("/static/{name}")
def static_file(name: str) -> Response:
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    return Response((STATIC_DIR / name).read_bytes(), media_type=media_type,
                    headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})
