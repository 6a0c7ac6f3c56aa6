"""The bench year's outreach texts, worklist contacts, self-service audit events and portal
links (bench/insights_history.py builds the rest), bulk-inserted the same way."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from assistant.store.models import (
    AccessLink,
    AuditEvent,
    LinkPurpose,
    OutreachContact,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
)

ZONE = "America/Chicago"
BATCH = 5000


def bulk(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(model), rows[start : start + BATCH])


def moment_in_year(rng: random.Random, now: dt.datetime) -> dt.datetime:
    """A time in the past year, mostly in the daytime (clients write when they are awake)."""
    day = now - dt.timedelta(days=rng.uniform(0.1, 365))
    local = day.astimezone(ZoneInfo(ZONE))
    hour = rng.choices(
        range(24), weights=[1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 12, 12, 12, 12, 10, 10, 10, 8, 6, 4, 2, 1]
    )[0]
    return local.replace(hour=hour, minute=rng.randrange(60)).astimezone(dt.UTC)


def outreach_rows(
    session: Session, practice: Practice, appointments: list[tuple[int, int, dt.datetime, str]], rng: random.Random
) -> None:
    jobs = []
    for appointment_id, client, starts, status in appointments:
        sent = starts - dt.timedelta(hours=48)
        jobs.append(
            {
                "practice_id": practice.id,
                "client_id": client,
                "appointment_id": appointment_id,
                "kind": OutreachKind.REMINDER,
                "rule": "reminder_48h",
                "event_key": f"reminder_48h:{appointment_id}",
                "due_at": sent,
                "state": OutreachState.SENT,
                "created_at": sent - dt.timedelta(days=1),
                "decided_at": sent,
            }
        )
        if status in ("no_show", "cancelled", "late_cancelled"):
            followed = starts + dt.timedelta(days=1)
            jobs.append(
                {
                    "practice_id": practice.id,
                    "client_id": client,
                    "appointment_id": appointment_id,
                    "kind": OutreachKind.NO_SHOW if status == "no_show" else OutreachKind.CANCELLED_NOT_REBOOKED,
                    "rule": status,
                    "event_key": f"{status}:{appointment_id}",
                    "due_at": followed,
                    "state": OutreachState.SENT,
                    "created_at": followed,
                    "decided_at": followed,
                }
            )
    bulk(session, OutreachJob, jobs)
    contacts = [
        {"practice_id": practice.id, "client_id": client, "kind": "reached_out", "at": starts + dt.timedelta(days=40)}
        for _, client, starts, status in appointments[:: max(1, len(appointments) // 200)]
        if status == "completed"
    ]
    bulk(session, OutreachContact, contacts)


def self_service_rows(session: Session, clients: list[int], rng: random.Random, now: dt.datetime) -> None:
    actions = ["appointment_booked", "appointment_rescheduled", "appointment_cancelled", "card_updated"]
    events = []
    links = []
    for number in range(6000):
        client = clients[rng.randrange(len(clients))]
        action = rng.choice(actions)
        details = {"status": rng.choice(["cancelled", "late_cancelled"])} if action == "appointment_cancelled" else None
        events.append(
            {
                "at": moment_in_year(rng, now),
                "actor": f"client:{client}",
                "action": action,
                "subject_type": "appointment" if action != "card_updated" else "client",
                "subject_id": str(number),
                "details": details,
            }
        )
        if number % 6 == 0:
            links.append(
                {
                    "client_id": client,
                    "purpose": LinkPurpose.PORTAL_SIGN_IN,
                    "token_hash": f"{number:064d}",
                    "expires_at": now,
                    "created_at": moment_in_year(rng, now),
                }
            )
    bulk(session, AuditEvent, events)
    bulk(session, AccessLink, links)
