"""A practice only one test uses: its own number (calls and texts to it reach it alone),
hours and phone settings, so a test can be "in hours" or "after hours" whatever the
clock says, without touching the demo practice other tests see."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import Practice

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS_OPEN = {day: [["00:00", "24:00"]] for day in DAYS}


def closed_now(timezone: str) -> dict[str, list[list[str]]]:
    """Open one hour a week, three days from today: closed now whatever the time.
    (No hours at all would mean "always staffed", see scheduling/hours.py.)"""
    today = dt.datetime.now(ZoneInfo(timezone)).weekday()
    return {DAYS[(today + 3) % 7]: [["09:00", "10:00"]]}


@dataclass(frozen=True)
class OwnPractice:
    id: int
    name: str
    phone: str
    front_desk: tuple[str, ...]
    oncall: str | None


def create_practice(
    database_url: str,
    *,
    open_now: bool,
    front_desk: tuple[str, ...] = ("+15559990001",),
    oncall: str | None = "+15559990099",
    timezone: str = "America/New_York",
) -> OwnPractice:
    with session_scope(database_url) as session:
        while True:
            phone = f"+1555{2_000_000 + secrets.randbelow(1_000_000)}"
            if session.scalars(select(Practice.id).where(Practice.phone_e164 == phone)).first() is None:
                break
        slug = f"voice-{secrets.token_hex(4)}"
        practice = Practice(
            slug=slug,
            name=f"Practice {slug}",
            timezone=timezone,
            business_hours=ALWAYS_OPEN if open_now else closed_now(timezone),
            response_window_minutes=60,
            phone_e164=phone,
            oncall_e164=oncall,
            front_desk_numbers=list(front_desk),
        )
        session.add(practice)
        session.flush()
        return OwnPractice(practice.id, practice.name, phone, front_desk, oncall)
