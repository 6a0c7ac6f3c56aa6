"""Who may do what in the rep console and rep API.

The route-table walk covers every route the app has, so a route added later
without authentication fails here unless it is added to the public allowlist.
"""

from __future__ import annotations

import csv
import io
import re
import threading

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import select

from assistant.api.deps import get_current_admin
from assistant.api.routes import console as console_pages
from assistant.services import reps as rep_accounts
from assistant.store.engine import session_scope
from assistant.store.models import AuditEvent, HandoffTicket, Rep, TicketState
from tests.support.console import ADMIN, REP, make_settings, sign_in

# Reachable without a console session, on purpose.  Anything else must answer 401 (API)
# or send the browser to the sign-in page (console pages).
PUBLIC = [
    re.compile(pattern)
    for pattern in (
        r"^/$",
        r"^/healthz$",
        r"^/(readyz|livez)$",  # load-balancer probes: a status word, no data
        r"^/api/chat/",  # web chat: its own bearer tokens
        r"^/twilio/",  # Twilio webhooks: signed requests
        r"^/portal/",
        r"^/billing/",  # single-use link pages
        r"^/widget\.(js|css)$",
        r"^/demo/",  # the widget's static files and demo page assets
        r"^/console/static/",  # console script and styles (no data)
        r"^/console/sign-in$",
        r"^/api/rep/login$",
        r"^/openapi\.json$",
        r"^/docs",
        r"^/redoc$",  # FastAPI's generated API description
    )
]
SAFE = {"GET", "HEAD", "OPTIONS"}


def _routes(app: FastAPI) -> list[tuple[str, str, object]]:
    """(method, path, route) for every route, whether included routers are flattened or not."""
    try:
        from fastapi.routing import iter_route_contexts

        contexts = [
            (context.path, context.methods, context.original_route) for context in iter_route_contexts(app.routes)
        ]
    except ImportError:  # older FastAPI: included routes are already flat
        contexts = [(route.path, getattr(route, "methods", None), route) for route in app.routes]
    found = []
    for path, methods, route in contexts:
        for method in sorted(methods or {"GET"}):
            if method != "HEAD":
                found.append((method, path, route))
    return found


def _is_public(path: str) -> bool:
    return any(pattern.search(path) for pattern in PUBLIC)


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _protected(app: FastAPI) -> list[tuple[str, str, object]]:
    return [(method, path, route) for method, path, route in _routes(app) if not _is_public(path)]


def _needs_admin(route: object) -> bool:
    def walk(dependant) -> bool:
        return dependant.call is get_current_admin or any(walk(d) for d in dependant.dependencies)

    return isinstance(route, APIRoute) and walk(route.dependant)


def test_the_walk_sees_the_console_routes(app: FastAPI) -> None:
    paths = {path for _, path, _ in _protected(app)}
    assert {
        "/console",
        "/api/rep/conversations/{conversation_id}/claim",
        "/api/rep/audit.csv",
        "/api/rep/events",
    } <= paths
    assert len(_protected(app)) >= 25  # (method, path) pairs


def test_every_non_public_route_needs_a_session(app: FastAPI, browser) -> None:
    anonymous = browser()
    problems = []
    for method, path, _ in _protected(app):
        response = anonymous.request(method, _concrete(path), follow_redirects=False)
        if path.startswith("/api/"):
            ok = response.status_code == 401
        else:  # a page: the browser is sent to sign in
            ok = response.status_code in (302, 303, 307) and response.headers.get("location") == "/console/sign-in"
        if not ok:
            problems.append(f"{method} {path} -> {response.status_code}")
    assert problems == []


def test_a_forged_or_expired_cookie_is_no_session(app: FastAPI, browser) -> None:
    http = browser()
    http.cookies.set(rep_accounts.SESSION_COOKIE, "forged-token")
    assert http.get("/api/rep/conversations").status_code == 401
    assert http.get("/console", follow_redirects=False).status_code == 303


def test_state_changes_need_the_csrf_token(app: FastAPI, admin) -> None:
    changing = [(m, p) for m, p, _ in _protected(app) if m not in SAFE]
    assert len(changing) >= 10
    problems = []
    for method, path in changing:
        for headers in ({}, {"X-CSRF-Token": "wrong"}):
            response = admin.http.request(method, _concrete(path), headers=headers, json={}, follow_redirects=False)
            if response.status_code != 403 or "CSRF" not in response.text:
                problems.append(f"{method} {path} {headers} -> {response.status_code}")
    assert problems == []
    # ...and the session still works with the right token.
    assert admin.get("/api/rep/me").status_code == 200


def test_sign_out_form_needs_its_hidden_csrf_field(rep) -> None:
    refused = rep.http.post("/console/sign-out", data={"csrf_token": "nope"}, follow_redirects=False)
    assert refused.status_code == 403
    assert rep.get("/api/rep/me").status_code == 200
    done = rep.http.post("/console/sign-out", data={"csrf_token": rep.csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/console/sign-in"
    assert rep.get("/api/rep/me").status_code == 401


def test_a_rep_is_refused_every_admin_route(app: FastAPI, rep) -> None:
    admin_routes = [(m, p) for m, p, route in _protected(app) if _needs_admin(route)]
    assert {
        ("GET", "/api/rep/audit"),
        ("GET", "/api/rep/audit.csv"),
        ("POST", "/api/rep/reps"),
        ("PATCH", "/api/rep/settings"),
    } <= set(admin_routes)
    problems = []
    for method, path in admin_routes:
        response = rep.http.request(method, _concrete(path), headers={"X-CSRF-Token": rep.csrf}, json={})
        if response.status_code != 403:
            problems.append(f"{method} {path} -> {response.status_code}")
    assert problems == []
    assert rep.get("/console/admin").status_code == 403


def test_another_practices_conversation_is_forbidden(other_practice, rep, open_handoff_chat) -> None:
    foreign = other_practice.conversation_id
    assert rep.get(f"/api/rep/conversations/{foreign}").status_code == 403
    assert rep.get(f"/api/rep/conversations/{foreign}/messages").status_code == 403
    for suffix, body in (
        ("claim", None),
        ("messages", {"text": "hi"}),
        ("notes", {"text": "x"}),
        ("resolve", {"return_to_bot": True}),
    ):
        assert rep.post(f"/api/rep/conversations/{foreign}/{suffix}", body).status_code == 403
    # ...and the other practice's admin cannot see ours, nor does ours show in its queue.
    ours = open_handoff_chat()
    other = other_practice.signed
    assert other.get(f"/api/rep/conversations/{ours.session_id}").status_code == 403
    assert other.get("/api/rep/conversations").json()["conversations"] == []
    assert rep.get("/api/rep/conversations/does-not-exist").status_code == 404


def test_brute_force_sign_in_is_throttled(browser) -> None:
    http = browser()
    for _ in range(rep_accounts.MAX_FAILURES_PER_EMAIL_AND_IP):
        response = http.post("/api/rep/login", json={"email": REP[0], "password": "guess"})
        assert response.status_code == 401
    throttled = http.post("/api/rep/login", json={"email": REP[0], "password": "guess"})
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "900"
    # Even the right password waits now...
    assert http.post("/api/rep/login", json={"email": REP[0], "password": REP[1]}).status_code == 429
    # ...but another account is not locked out by it.
    assert http.post("/api/rep/login", json={"email": ADMIN[0], "password": ADMIN[1]}).status_code == 200


def test_the_sign_in_form_is_throttled_too(browser) -> None:
    http = browser()
    page = http.get("/console/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for _ in range(rep_accounts.MAX_FAILURES_PER_EMAIL_AND_IP):
        failed = http.post("/console/sign-in", data={"email": REP[0], "password": "guess", "csrf_token": token})
        assert failed.status_code == 401 and "Wrong email or password" in failed.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', failed.text).group(1)
    throttled = http.post("/console/sign-in", data={"email": REP[0], "password": REP[1], "csrf_token": token})
    assert throttled.status_code == 429


def test_sign_in_form_needs_its_csrf_cookie(browser) -> None:
    http = browser()
    refused = http.post(
        "/console/sign-in", data={"email": REP[0], "password": REP[1], "csrf_token": "made-up"}, follow_redirects=False
    )
    assert refused.status_code == 403
    page = http.get("/console/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    ok = http.post(
        "/console/sign-in", data={"email": REP[0], "password": REP[1], "csrf_token": token}, follow_redirects=False
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/console"
    assert http.get("/console").status_code == 200


def test_login_wants_json_and_sets_a_safe_cookie(browser, app) -> None:
    http = browser()
    form = http.post("/api/rep/login", data={"email": REP[0], "password": REP[1]})
    assert form.status_code in (415, 422)
    response = http.post("/api/rep/login", json={"email": REP[0], "password": REP[1]})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie  # localhost
    from fastapi.testclient import TestClient

    public = TestClient(app, base_url="https://desk.lakeside.example")
    secure = public.post("/api/rep/login", json={"email": REP[0], "password": REP[1]})
    assert secure.status_code == 200 and "secure" in secure.headers["set-cookie"].lower()


def test_unknown_email_and_wrong_password_look_the_same(browser) -> None:
    http = browser()
    unknown = http.post("/api/rep/login", json={"email": "nobody@lakeside.example", "password": "x"})
    wrong = http.post("/api/rep/login", json={"email": REP[0], "password": "x"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_demo_accounts_are_refused_in_production(database_url: str) -> None:
    from fastapi.testclient import TestClient

    from assistant.api.main import create_app

    settings = make_settings(
        database_url,
        assistant_env="production",
        public_base_url="https://desk.example",
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="t",
    )
    app = create_app(settings)  # lifespan not started: nothing is sent anywhere
    http = TestClient(app, base_url="https://desk.example")
    response = http.post("/api/rep/login", json={"email": REP[0], "password": REP[1]})
    assert response.status_code == 403 and "demo" in response.json()["detail"]
    assert "set-cookie" not in response.headers
    with session_scope(database_url) as session:
        real = rep_accounts.create_rep(
            session, practice_id=1, email="real@lakeside.example", display_name="Real", password="a-real-long-password"
        )
        assert not real.is_demo
    assert (
        http.post(
            "/api/rep/login", json={"email": "real@lakeside.example", "password": "a-real-long-password"}
        ).status_code
        == 200
    )


def test_passwords_are_argon2_hashes(database_url: str) -> None:
    with session_scope(database_url) as session:
        stored = session.scalars(select(Rep.password_hash).where(Rep.email == REP[0])).one()
    assert stored.startswith("$argon2id$") and REP[1] not in stored


def test_deactivated_rep_is_signed_out(admin, rep) -> None:
    assert (
        admin.http.request(
            "PATCH", f"/api/rep/reps/{rep.rep['id']}", json={"active": False}, headers={"X-CSRF-Token": admin.csrf}
        ).status_code
        == 200
    )
    assert rep.get("/api/rep/me").status_code == 401
    assert rep.http.post("/api/rep/login", json={"email": REP[0], "password": REP[1]}).status_code == 401


def test_two_reps_racing_to_claim_one_wins(browser, open_handoff_chat, database_url) -> None:
    chat = open_handoff_chat()
    reps = [sign_in(browser(), *REP), sign_in(browser(), *ADMIN)]
    barrier = threading.Barrier(2, timeout=10)
    results: list[int] = [0, 0]

    def claim(index: int) -> None:
        barrier.wait()
        results[index] = reps[index].post(f"/api/rep/conversations/{chat.session_id}/claim").status_code

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [200, 409]
    winner = reps[results.index(200)]
    with session_scope(database_url) as session:
        (ticket,) = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == chat.session_id)).all()
        assert ticket.state is TicketState.CLAIMED and ticket.claimed_by_rep_id == winner.rep["id"]
    loser = reps[results.index(409)]
    assert loser.post(f"/api/rep/conversations/{chat.session_id}/messages", {"text": "me too"}).status_code == 403


def test_every_transcript_view_is_audited(rep, open_handoff_chat, database_url) -> None:
    chat = open_handoff_chat()
    for _ in range(2):
        assert rep.get(f"/api/rep/conversations/{chat.session_id}").status_code == 200
    with session_scope(database_url) as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "transcript_viewed")).all()
    assert len(views) == 2
    assert {(v.actor, v.subject_type, v.subject_id) for v in views} == {
        (f"rep:{rep.rep['id']}", "conversation", chat.session_id)
    }
    assert all(v.at is not None for v in views)


# The queue shows a one-line preview of the client's last message, and showing it is audited:
# tests/api/console/test_queue_preview.py.


def test_admin_reads_and_exports_the_audit_log(admin, rep, open_handoff_chat, other_practice) -> None:
    chat = open_handoff_chat()
    rep.get(f"/api/rep/conversations/{chat.session_id}")
    other_practice.signed.get(f"/api/rep/conversations/{other_practice.conversation_id}")
    events = admin.get("/api/rep/audit").json()["events"]
    viewed = [e for e in events if e["action"] == "transcript_viewed"]
    assert [(e["actor"], e["subject_id"]) for e in viewed] == [(f"rep:{rep.rep['id']}", chat.session_id)]
    export = admin.get("/api/rep/audit.csv")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert any(
        r["action"] == "transcript_viewed"
        and r["subject_id"] == chat.session_id
        and r["actor"] == f"rep:{rep.rep['id']}"
        and r["at"]
        for r in rows
    )
    # Another practice's reads are not in this practice's log.
    assert other_practice.conversation_id not in export.text
    assert any(
        r["action"] == "audit_exported" for r in csv.DictReader(io.StringIO(admin.get("/api/rep/audit.csv").text))
    )


def test_console_pages_have_a_strict_csp(rep, browser) -> None:
    for response in (rep.get("/console"), browser().get("/console/sign-in")):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert "<script>" not in response.text  # scripts only by src, from this origin
        assert not re.search(r"<[^>]+\son[a-z]+=", response.text)  # no inline handlers either
    # The console is split into scripts by concern (console.js's header): each is served from this
    # origin, in order, by src, and none builds HTML from strings.
    page = rep.get("/console").text
    sources = re.findall(r'<script src="/console/static/([\w.]+)" defer></script>', page)
    assert sources == list(console_pages.CONSOLE_SCRIPTS) and sources[-1] == "console.js"
    for name in sources:
        script = rep.get(f"/console/static/{name}")
        assert script.status_code == 200 and "javascript" in script.headers["content-type"], name
        assert ".innerHTML" not in script.text and "insertAdjacentHTML" not in script.text, name
        assert "eval(" not in script.text and "new Function" not in script.text, name
    assert rep.get("/console/static/../../config.py").status_code == 404


@pytest.mark.parametrize("path", ["/console/static/nope.js", "/console/static/console.py"])
def test_only_known_static_files_are_served(browser, path: str) -> None:
    assert browser().get(path).status_code == 404
