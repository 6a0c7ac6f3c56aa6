"""Rep accounts a test makes for itself, so the demo reps stay as other tests expect them."""

from __future__ import annotations

import uuid

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
