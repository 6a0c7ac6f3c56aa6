"""The sign-in throttle through the app: X-Forwarded-For counts only from a trusted proxy
(FORWARDED_ALLOW_IPS), and an account backs off however many addresses guess at it.

TestClient's peer is normally "testclient"; `client=(...)` gives a browser a real peer address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from assistant.api.main import create_app
from assistant.services import reps as rep_accounts
from assistant.services import sign_in_throttle as throttle
from assistant.store.engine import session_scope
from assistant.store.models import Practice, Rep, RepSignInFailure
from tests.support.console import ADMIN, make_settings, sign_in

GUARDED = ("guarded@lakeside.example", "guarded-rep-password")


@pytest.fixture
def guarded(database_url: str) -> tuple[str, str]:
    """A rep of the demo practice that only these tests guess at."""
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        rep_accounts.create_rep(
            session, practice_id=practice.id, email=GUARDED[0], display_name="Guarded Rep", password=GUARDED[1]
        )
    return GUARDED


def _login(http: TestClient, email: str, password: str, forwarded_for: str | None = None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return http.post("/api/rep/login", json={"email": email, "password": password}, headers=headers)


def _failure_addresses(database_url: str, email: str) -> set[str]:
    with session_scope(database_url) as session:
        return set(session.scalars(select(RepSignInFailure.ip).where(RepSignInFailure.email == email)))


def test_the_proxy_middleware_runs_before_anything_reads_the_client(app: FastAPI) -> None:
    # The last middleware added is the outermost: anything added after it would see the proxy's
    # address instead of the client's.
    assert app.user_middleware[0].cls is ProxyHeadersMiddleware


def test_a_forged_forwarded_for_does_not_lift_the_throttle(browser, guarded, database_url) -> None:
    http = browser()
    answers = [_login(http, guarded[0], "wrong guess", forwarded_for=f"198.51.100.{i}").status_code for i in range(20)]
    assert answers == [401] * 5 + [429] * 15
    refused = _login(http, guarded[0], guarded[1], forwarded_for="203.0.113.200")
    assert refused.status_code == 429
    # The per email+address limit (15 minutes), not only the account's one-minute back-off:
    # every failure counted against the real peer, none against a forged address.
    assert refused.headers["Retry-After"] == "900"
    assert _failure_addresses(database_url, guarded[0]) == {"testclient"}


@pytest.fixture
def behind_proxy(database_url: str) -> Iterator[FastAPI]:
    application = create_app(make_settings(database_url, forwarded_allow_ips="10.0.0.0/24"))
    with TestClient(application, base_url="http://localhost"):
        yield application


def test_a_trusted_proxy_gives_the_client_address(behind_proxy, guarded, database_url) -> None:
    proxy = TestClient(behind_proxy, base_url="http://localhost", client=("10.0.0.7", 40000))
    # What a client prepends is not trusted: the proxy appended the address it saw last.
    assert _login(proxy, guarded[0], "wrong", forwarded_for="192.0.2.66, 203.0.113.9").status_code == 401
    assert _failure_addresses(database_url, guarded[0]) == {"203.0.113.9"}
    # A peer that is not a listed proxy cannot choose its address.
    direct = TestClient(behind_proxy, base_url="http://localhost", client=("192.0.2.50", 40000))
    assert _login(direct, guarded[0], "wrong", forwarded_for="203.0.113.77").status_code == 401
    assert _failure_addresses(database_url, guarded[0]) == {"203.0.113.9", "192.0.2.50"}


def test_the_account_backs_off_across_many_addresses(app, guarded, database_url) -> None:
    def from_address(number: int) -> TestClient:
        return TestClient(app, base_url="http://localhost", client=(f"198.51.100.{number}", 40000))

    answers = [_login(from_address(i), guarded[0], "wrong guess") for i in range(20)]
    assert [answer.status_code for answer in answers] == [401] * 5 + [429] * 15
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60
    # The right password, from an address that never failed, waits too...
    assert _login(from_address(99), guarded[0], guarded[1]).status_code == 429
    assert len(_failure_addresses(database_url, guarded[0])) == throttle.ACCOUNT_FREE_FAILURES
    # ...while other accounts from those same addresses are not affected.
    admin = sign_in(from_address(3), *ADMIN)
    locked = admin.get("/api/rep/audit", params={"action": throttle.LOCKED}).json()["events"]
    with session_scope(database_url) as session:
        rep_id = session.scalars(select(Rep.id).where(Rep.email == guarded[0])).one()
    # Locked once (not once per refused attempt), visible to the practice's admin.
    assert [(event["subject_id"], event["details"]["ip"]) for event in locked] == [(str(rep_id), "198.51.100.4")]


def test_the_sign_in_page_says_how_long_to_wait(app, guarded) -> None:
    for i in range(throttle.ACCOUNT_FREE_FAILURES):
        http = TestClient(app, base_url="http://localhost", client=(f"198.51.100.{i}", 40000))
        assert _login(http, guarded[0], "wrong guess").status_code == 401
    page_client = TestClient(app, base_url="http://localhost", client=("203.0.113.5", 40000))
    form = page_client.get("/console/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    refused = page_client.post(
        "/console/sign-in", data={"email": guarded[0], "password": guarded[1], "csrf_token": token}
    )
    assert refused.status_code == 429
    assert "Too many failed sign-ins. Wait 1 minute and try again." in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 60
