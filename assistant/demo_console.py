"""Demo accounts and canned responses for the rep console (part of `assistant demo-data`).

The demo passwords are public, so these accounts are marked `is_demo` and
refused at sign-in when ASSISTANT_ENV=production.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services import reps as rep_accounts
from assistant.store.models import CannedResponse, Practice, Rep, RepRole

DEMO_REP = ("frontdesk@lakeside.example", "demo-rep-password", "Casey (front desk)", RepRole.REP)
DEMO_ADMIN = ("admin@lakeside.example", "demo-admin-password", "Morgan (practice manager)", RepRole.ADMIN)

CANNED = [
    (
        "Greeting",
        "Hi {client_first_name}, this is the front desk at {practice_name}. Thanks for waiting; how can I help?",
    ),
    ("Next session", "Hi {client_first_name}, your next session is {next_appointment}."),
    (
        "Billing follow-up",
        "Thanks {client_first_name}. I've passed your billing question to our "
        "billing team; they will get back to you within two business days.",
    ),
    ("Closing", "Glad I could help, {client_first_name}! If you need anything else, just send a message here."),
]


def load_demo_console(session: Session, practice: Practice, now: dt.datetime) -> int:
    """Create the demo rep, the demo admin and the canned responses if missing; returns how many."""
    created = 0
    for email, password, name, role in (DEMO_REP, DEMO_ADMIN):
        if session.scalars(select(Rep.id).where(Rep.email == email)).first() is None:
            rep_accounts.create_rep(
                session,
                practice_id=practice.id,
                email=email,
                display_name=name,
                password=password,
                role=role,
                is_demo=True,
            )
            created += 1
    existing = set(session.scalars(select(CannedResponse.title).where(CannedResponse.practice_id == practice.id)))
    for title, body in CANNED:
        if title not in existing:
            session.add(CannedResponse(practice_id=practice.id, title=title, body=body, created_at=now, updated_at=now))
            created += 1
    session.flush()
    return created
