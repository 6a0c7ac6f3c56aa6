"""The demo history (`assistant demo-data --history N`): the same seed gives the same history,
loading it twice adds nothing, its clients are its own, and it obeys the product's rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant import demo
from assistant.demo import load_demo_data
from assistant.demo.history import load_demo_history
from assistant.demo.history.people import NAMES
from assistant.outreach.settings import OutreachSettings
from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Call,
    Client,
    Conversation,
    HandoffTicket,
    Message,
    OutreachJob,
    OutreachState,
    TicketState,
)
from tests.support.databases import copy_sqlite

DAYS = 21  # a short history keeps the test quick; the code path is the same as for 90
# A fixed instant, so the history (which weekday it starts on, what falls on its first day)
# is the same on every run; the rules test below also walks a whole week of "todays".
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)  # a Wednesday afternoon
A_WEEK_OF_TODAYS = [NOW + dt.timedelta(days=offset) for offset in range(7)]


def _fingerprint(url: str) -> dict[str, Any]:
    """What the history made, as counts (ids and secrets like video links aside)."""
    with session_scope(url) as session:

        def grouped(*columns: Any) -> list[tuple[Any, ...]]:
            rows = session.execute(select(*columns, func.count()).group_by(*columns).order_by(*columns)).all()
            return [tuple(row) for row in rows]

        return {
            "appointments": grouped(Appointment.status),
            "conversations": grouped(Conversation.channel, Conversation.state),
            "messages": grouped(Message.author, Message.status),
            "tickets": grouped(HandoffTicket.reason, HandoffTicket.state),
            "calls": grouped(Call.twilio_status, Call.bot_helped),
            "jobs": grouped(OutreachJob.kind, OutreachJob.state),
            "audit": grouped(AuditEvent.action),
            "first_message_at": session.scalar(select(func.min(Message.created_at))),
        }


def _load(url: str, seed: int = 7, now: dt.datetime = NOW) -> Any:
    with session_scope(url) as session:
        load_demo_data(session, now=now)
        return load_demo_history(session, days=DAYS, seed=seed, now=now)


def test_the_same_seed_gives_the_same_history(demo_template: Path, tmp_path: Path) -> None:
    first = copy_sqlite(demo_template, tmp_path / "first.db")
    second = copy_sqlite(demo_template, tmp_path / "second.db")
    summary = _load(first)
    assert summary.added and summary.appointments > 20 and summary.conversations > 20 and summary.handoffs > 5
    assert _load(second) == summary
    assert _fingerprint(second) == _fingerprint(first)


def test_another_seed_gives_another_history(demo_template: Path, tmp_path: Path) -> None:
    first = copy_sqlite(demo_template, tmp_path / "first.db")
    second = copy_sqlite(demo_template, tmp_path / "second.db")
    assert _load(first, seed=1) != _load(second, seed=2)


def test_loading_twice_adds_nothing(db_url: str) -> None:
    assert _load(db_url).added
    before = _fingerprint(db_url)
    again = _load(db_url)
    assert not again.added and again.appointments == 0
    assert _fingerprint(db_url) == before


@pytest.mark.parametrize("now", A_WEEK_OF_TODAYS, ids=lambda moment: moment.strftime("%a"))
def test_the_history_has_its_own_clients_and_obeys_the_rules(db_url: str, now: dt.datetime) -> None:
    with session_scope(db_url) as session:
        load_demo_data(session, now=now)
        demo_counts = _demo_client_rows(session)
    summary = _load(db_url, now=now)
    with session_scope(db_url) as session:
        assert _demo_client_rows(session) == demo_counts  # Jordan, Priya, Chris... untouched
        names = set(session.execute(select(Client.first_name, Client.last_name)).tuples())
        assert set(NAMES) <= names
        assert not {(c.first_name, c.last_name) for c in demo.CLIENTS} & set(NAMES)
        history_ids = select(Client.id).where(Client.mobile_e164.like("+155555502__"))
        assert session.scalar(select(func.count()).select_from(history_ids.subquery())) == summary.clients
        # Nothing is left waiting for a person: every hand-off was answered and closed.
        assert session.scalar(select(func.count()).where(HandoffTicket.state != TicketState.CLOSED)) == 0
        # Sessions in the past are settled; the booked ones are ahead, one per clinician and time.
        stale = select(func.count()).where(
            Appointment.client_id.in_(history_ids),
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.ends_at < now,
        )
        assert session.scalar(stale) == 0
        # Nothing planned long ago is left for the live scheduler to send late.
        old_plans = select(func.count()).where(
            OutreachJob.state == OutreachState.PLANNED, OutreachJob.due_at < now - dt.timedelta(days=3)
        )
        assert session.scalar(old_plans) == 0
        # Bookings went through the scheduling service: each has its audit event.
        booked = session.scalar(select(func.count()).where(AuditEvent.action == "appointment_booked"))
        assert booked is not None and booked >= summary.appointments
        first = session.scalar(select(func.min(Conversation.created_at)).where(Conversation.client_id.in_(history_ids)))
        # The first day's sessions were reminded ahead (up to the longest reminder lead): whether
        # one falls on it depends on the weekday the history starts, so the bound allows for it.
        lead = dt.timedelta(hours=max(OutreachSettings().reminder_hours))
        assert first is not None and first >= now - dt.timedelta(days=DAYS + 1) - lead


def _demo_client_rows(session: Session) -> list[tuple[str, int, int]]:
    rows = []
    for spec in demo.CLIENTS:
        client = session.scalars(
            select(Client).where(Client.first_name == spec.first_name, Client.last_name == spec.last_name)
        ).one()
        appointments = session.scalar(select(func.count()).where(Appointment.client_id == client.id)) or 0
        conversations = session.scalar(select(func.count()).where(Conversation.client_id == client.id)) or 0
        rows.append((client.first_name, appointments, conversations))
    return rows
