"""Rep accounts a test makes for itself, so the demo reps stay as other tests expect them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import select

from assistant.services import reps as rep_accounts
from assistant.store.engine import session_scope
from assistant.store.models import Practice, RepRole

OWN_REP_PASSWORD = "an-own-test-rep-password"


def create_own_rep(database_url: str, role: RepRole = RepRole.REP, display_name: str = "Robin") -> str:
    """A new rep of the demo practice (password `OWN_REP_PASSWORD`); returns its email."""
    email = f"own-{uuid.uuid4().hex[:12]}@lakeside.example"
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        rep_accounts.create_rep(
            session,
            practice_id=practice.id,
            email=email,
            display_name=display_name,
            password=OWN_REP_PASSWORD,
            role=role,
        )
    return email


@contextmanager
def signed_in_rep(gateway_url: str, database_url: str, display_name: str) -> Iterator[httpx.Client]:
    """A new rep of the demo practice, signed in over the API (session cookie and CSRF header)."""
    email = create_own_rep(database_url, display_name=display_name)
    with httpx.Client(base_url=gateway_url, timeout=60) as http:
        signed_in = http.post("/api/rep/login", json={"email": email, "password": OWN_REP_PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        http.headers["X-CSRF-Token"] = signed_in.json()["csrf_token"]
        yield http


def rep_post(rep: httpx.Client, conversation_id: str, action: str, body: dict[str, Any] | None = None) -> None:
    """claim, messages, resolve ... on a conversation, as the signed-in rep; it must succeed."""
    response = rep.post(f"/api/rep/conversations/{conversation_id}/{action}", json=body)
    assert response.status_code in (200, 201), response.text
