"""A demo practice with a past: `assistant demo-data --history 90` (and `make run` on a fresh
database) gives Lakeside Counseling 90 days of believable front-desk history, so the insights
page has something to show: conversations across channels and hours, hand-offs a person
answers at realistic delays, calls and voicemails, sessions booked, moved, cancelled (some
rebooked) and missed, reminders and confirmations, follow-ups, and a few clients drifting away.

- Deterministic for a seed: one `random.Random(seed)` makes every choice, and the moments are
  counted back from `now` (tests pass a fixed one).
- Idempotent: the history's clients are its marker; when they exist, nothing is added.
- Its own clients (people.py): never the demo clients scripts and tests rely on.
- Through the product's services where practical (booking, moving, cancelling, marking a
  no-show, opening, claiming and resolving hand-offs, calling back, reaching out), replayed
  in time order on a simulated clock (a heap of events), so the data obeys the same rules.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.demo.history.clock import Clock
from assistant.demo.history.contacts import Contacts, Counts
from assistant.demo.history.daily import plan_days, reach_out_to_drifters
from assistant.demo.history.people import create_people, existing
from assistant.demo.history.sessions import Sessions
from assistant.demo.rows import practice_row
from assistant.demo_console import DEMO_REP
from assistant.services.insights.rollup_job import forget as forget_rollups
from assistant.store.models import Clinician, OutreachJob, OutreachState, Rep, utcnow

DEFAULT_SEED = 13
DEFAULT_DAYS = 90
# The scheduler drops a follow-up held back for more than this (README, Outreach).
STALE_AFTER = dt.timedelta(days=3)


@dataclass(frozen=True)
class HistorySummary:
    added: bool
    clients: int = 0
    appointments: int = 0
    conversations: int = 0
    messages: int = 0
    handoffs: int = 0
    calls: int = 0
    outreach_jobs: int = 0


def load_demo_history(
    session: Session, *, days: int = DEFAULT_DAYS, seed: int = DEFAULT_SEED, now: dt.datetime | None = None
) -> HistorySummary:
    """Add `days` days of history before `now` to the demo practice, unless it is there already.

    The demo practice and its console accounts must be loaded first (`load_demo_data`)."""
    if days < 1 or days > 400:
        raise ValueError("history is 1 to 400 days")
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    practice, _ = practice_row(session)
    if existing(session, practice):
        return HistorySummary(added=False)
    rep = session.scalars(select(Rep).where(Rep.email == DEMO_REP[0])).one()
    clinicians = {
        c.display_name: c for c in session.scalars(select(Clinician).where(Clinician.practice_id == practice.id))
    }
    rng = random.Random(seed)
    clock = Clock(practice, rng)
    today = now.astimezone(clock.zone).date()
    first_day = today - dt.timedelta(days=days)
    contacts = Contacts(session, practice, clock, rng, rep, now)
    people = create_people(session, practice, clinicians, now)

    events: list[tuple[dt.datetime, int, Callable[[], None]]] = []
    order = count()

    def schedule(at: dt.datetime, action: Callable[[], None]) -> None:
        heapq.heappush(events, (at, next(order), action))

    sessions = Sessions(contacts, schedule, first_day, today)
    for person in people:
        sessions.plan_person(person)
    plan_days(contacts, people, schedule, first_day, today)
    while events:
        _at, _, action = heapq.heappop(events)
        action()
    reach_out_to_drifters(contacts, people)
    _drop_stale_jobs(session, [person.client_id for person in people], now)
    forget_rollups(session, practice.id)  # the practice's past changed: insights count it again
    session.flush()
    counts: Counts = contacts.counts
    return HistorySummary(
        added=True,
        clients=len(people),
        appointments=counts.appointments,
        conversations=counts.conversations,
        messages=counts.messages,
        handoffs=counts.handoffs,
        calls=counts.calls,
        outreach_jobs=counts.outreach_jobs,
    )


def _drop_stale_jobs(session: Session, client_ids: list[int], now: dt.datetime) -> None:
    """Jobs the planner made on the way (services replan after a change) whose moment is long
    past: the live scheduler would drop them as stale, so they are dropped here."""
    session.execute(
        update(OutreachJob)
        .where(
            OutreachJob.client_id.in_(client_ids),
            OutreachJob.state == OutreachState.PLANNED,
            OutreachJob.due_at < now - STALE_AFTER,
        )
        .values(state=OutreachState.CANCELLED, reason="stale", decided_at=now)
        .execution_options(synchronize_session=False)
    )


__all__ = ["DEFAULT_DAYS", "DEFAULT_SEED", "HistorySummary", "load_demo_history"]
