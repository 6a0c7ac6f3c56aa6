"""Every response carries the security headers: each route of the app, 404s, 405s, CORS
refusals, 413s and unhandled errors; HSTS only when the public address is https."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.stack import free_port
from tests.support.console import ADMIN, sign_in


def _settings(database_url: str, **overrides: object) -> Settings:
    nowhere = f"http://127.0.0.1:{free_port()}"
    return Settings(
        **{
            "assistant_env": "test",
            "database_url": database_url,
            "rasa_url": nowhere,
            "bot_outage_hold_seconds": 0,
            "action_server_url": nowhere,
            "rasa_timeout_seconds": 2,
            **overrides,
        }
    )


def _boom() -> None:
    raise RuntimeError("a bug")


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    application = create_app(_settings(database_url))
    application.add_api_route("/test-only/boom", _boom)  # a route with a bug in it
    yield application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as http:
        yield http


def assert_secure(response: Response) -> None:
    where = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    csp = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, where
    assert "default-src 'none'" in csp, where
    assert response.headers.get("x-frame-options") == "DENY", where
    assert response.headers.get("x-content-type-options") == "nosniff", where
    assert response.headers.get("referrer-policy") == "no-referrer", where
    assert "strict-transport-security" not in response.headers, where  # http: no HSTS


def _concrete(path: str) -> str:
    """A route's path with every parameter filled in (ints and strings both accept "1")."""
    return re.sub(r"\{[^}]+\}", "1", path)


def _every_route(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) for every route, whether included routers are flattened or not."""
    try:
        from fastapi.routing import iter_route_contexts

        contexts = [(context.path, context.methods) for context in iter_route_contexts(app.routes)]
    except ImportError:  # older FastAPI: included routes are already flat
        contexts = [(route.path, getattr(route, "methods", None)) for route in app.routes]
    return [(method, path) for path, methods in contexts for method in sorted(methods or {"GET"})]


def test_every_route_answers_with_the_security_headers(app: FastAPI, client: TestClient) -> None:
    routes = _every_route(app)
    paths = {path for _, path in routes}
    assert {
        "/",
        "/widget.js",
        "/api/chat/sessions",
        "/billing/update/{token}",
        "/twilio/sms",
        "/api/rep/settings",
        "/console",
        "/docs",
        "/test-only/boom",
    } <= paths
    for method, path in routes:
        response = client.request(method, _concrete(path), follow_redirects=False)
        assert_secure(response)


def test_signed_in_pages_and_answers_carry_them(app: FastAPI, client: TestClient) -> None:
    """The same walk as the admin: pages and API answers that need a session, with 200s.
    (`client` keeps the app's lifespan running.)"""
    # localhost: the session cookie is not Secure there, so httpx sends it over http.
    admin = sign_in(TestClient(app, base_url="http://localhost"), *ADMIN)
    statuses = {}
    for method, path in _every_route(app):
        if method == "GET" and not path.endswith("/events"):  # streams stay open
            response = admin.get(_concrete(path), follow_redirects=False)
            assert_secure(response)
            statuses[path] = response.status_code
    for path in ("/console", "/console/admin", "/api/rep/me", "/api/rep/settings", "/api/rep/audit.csv"):
        assert statuses[path] == 200, path


@pytest.mark.parametrize(
    "case",
    [
        "not found",
        "wrong method",
        "unhandled error",
        "cors refused",
        "cors preflight refused",
        "body too large",
        "validation error",
    ],
)
def test_errors_and_refusals_carry_them_too(client: TestClient, case: str) -> None:
    if case == "not found":
        response = client.get("/no/such/page")
        assert response.status_code == 404
    elif case == "wrong method":
        response = client.delete("/widget.js")
        assert response.status_code == 405
    elif case == "unhandled error":
        response = client.get("/test-only/boom")
        assert response.status_code == 500
        assert response.json() == {"detail": "internal error", "request_id": response.headers["x-request-id"]}
    elif case == "cors refused":
        response = client.post("/api/chat/sessions", json={}, headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
    elif case == "cors preflight refused":
        response = client.options(
            "/api/chat/sessions", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
        )
        assert response.status_code == 403
    elif case == "body too large":
        response = client.post(
            "/api/chat/sessions", content=b"{" + b" " * 70_000 + b"}", headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413
    else:
        response = client.get("/api/rep/audit", params={"before_id": "x"})
        assert response.status_code in (401, 422)
    assert_secure(response)


def test_pages_keep_their_own_strict_policy_and_nothing_inline_is_allowed(client: TestClient) -> None:
    for path in ("/", "/console/sign-in", "/widget.js", "/api/chat/practices/lakeside"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe" not in csp, path


def test_link_pages_allow_exactly_their_own_inline_style(client: TestClient) -> None:
    response = client.get("/billing/update/not-a-real-token")  # the "link expired" page
    assert response.status_code == 410
    (style,) = re.findall(r"<style>(.*?)</style>", response.text, flags=re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    csp = response.headers["content-security-policy"]
    assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert client.get("/portal/sign-in/not-a-real-token").headers["content-security-policy"] == csp


def test_widget_files_stay_loadable_by_other_sites(client: TestClient) -> None:
    for path in ("/widget.js", "/widget.css"):
        response = client.get(path)
        assert response.headers["cross-origin-resource-policy"] == "cross-origin"
        assert_secure(response)


def test_hsts_when_the_public_address_is_https(database_url: str) -> None:
    app = create_app(_settings(database_url, public_base_url="https://frontdesk.example.com"))
    with TestClient(app) as http:
        for path in ("/widget.js", "/no/such/page"):
            hsts = http.get(path).headers.get("strict-transport-security", "")
            assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31536000
