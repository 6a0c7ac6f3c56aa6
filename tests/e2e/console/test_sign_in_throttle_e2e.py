"""The sign-in throttle through the real gateway (uvicorn, as `assistant run` starts it).

uvicorn on its own trusts X-Forwarded-For from 127.0.0.1, which is where these requests come
from: if it did here, every guess would count against a forged address. Each test guesses at a
rep account it creates itself; the shared demo rep is never locked.
"""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from assistant.services import reps as rep_accounts
from assistant.services import sign_in_throttle as throttle
from assistant.store.engine import session_scope
from assistant.store.models import AuditEvent, Practice, RepSignInFailure
from tests.support.stack import RunningStack

PASSWORD = "a-long-e2e-rep-password"


def _new_rep(stack: RunningStack) -> tuple[int, str]:
    email = f"throttle-{uuid.uuid4().hex[:12]}@lakeside.example"
    with session_scope(stack.database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        rep = rep_accounts.create_rep(
            session, practice_id=practice.id, email=email, display_name="Throttle Test Rep", password=PASSWORD
        )
        return rep.id, email


def _failure_addresses(stack: RunningStack, email: str) -> list[str]:
    with session_scope(stack.database_url) as session:
        return list(session.scalars(select(RepSignInFailure.ip).where(RepSignInFailure.email == email)))


def _client(stack: RunningStack, source: str | None = None) -> httpx.Client:
    """A client connecting from `source` (any 127.x.y.z is this machine's loopback)."""
    transport = httpx.HTTPTransport(local_address=source) if source else None
    return httpx.Client(base_url=stack.url, timeout=60, transport=transport)


def _login(http: httpx.Client, email: str, password: str, **headers: str) -> httpx.Response:
    return http.post("/api/rep/login", json={"email": email, "password": password}, headers=headers)


def test_rotating_x_forwarded_for_does_not_lift_the_throttle(stack: RunningStack) -> None:
    _rep_id, email = _new_rep(stack)
    with _client(stack) as http:  # from 127.0.0.1
        answers = [_login(http, email, "wrong guess", **{"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(22)]
        refused = _login(http, email, PASSWORD, **{"X-Forwarded-For": "203.0.113.250"})
    assert [answer.status_code for answer in answers] == [401] * 5 + [429] * 17
    assert refused.status_code == 429
    # The per email+address limit (15 minutes) holds, not only the account's short back-off:
    # all five counted failures are the real peer's.
    assert refused.headers["Retry-After"] == "900"
    assert _failure_addresses(stack, email) == ["127.0.0.1"] * 5


def test_the_account_backs_off_across_many_real_addresses(stack: RunningStack) -> None:
    rep_id, email = _new_rep(stack)
    answers = []
    for host in range(1, 21):
        with _client(stack, f"127.0.1.{host}") as http:
            answers.append(_login(http, email, "wrong guess"))
    assert [answer.status_code for answer in answers] == [401] * 5 + [429] * 15
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60
    with _client(stack, "127.0.1.99") as http:
        assert _login(http, email, PASSWORD).status_code == 429
    assert sorted(_failure_addresses(stack, email)) == [f"127.0.1.{host}" for host in range(1, 6)]
    with session_scope(stack.database_url) as session:
        locked = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == throttle.LOCKED, AuditEvent.subject_id == str(rep_id))
            )
        )
    assert [event.details["ip"] for event in locked] == ["127.0.1.5"]
