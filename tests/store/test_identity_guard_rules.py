"""The per-client identity rules over time, on a frozen clock: how long a lock lasts, what a
window counts, when an alert ticket is reused, and the daily cap on codes.  SQLite and
PostgreSQL (timestamps compared in the database)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services import identity_guard as guard
from assistant.services.identity_alerts import ALERT_KIND
from assistant.store.models import Client, HandoffTicket, TicketState

if TYPE_CHECKING:
    from tests.support.clinic import Clinic

T0 = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
ATTEMPT = guard.Attempt("conversation-under-test", "name_dob", None, None)
BORN = dt.date(1988, 8, 8)


def _client(session: Session, clinic: Clinic) -> Client:
    """A client with a name of their own (the clinic's clients all fold to "client test")."""
    client = Client(
        practice_id=clinic.practice_id,
        first_name="Morgan",
        last_name="Quill",
        mobile_e164="+15555559876",
        date_of_birth=BORN,
        sms_consent=True,
    )
    session.add(client)
    session.commit()
    return client


def _fail(session: Session, clinic: Clinic, at: dt.datetime, times: int = 1) -> None:
    for _ in range(times):
        assert (
            guard.check_name_and_dob(
                session, clinic.practice_id, "Morgan Quill", BORN + dt.timedelta(days=1), ATTEMPT, now=at
            )
            is None
        )
    session.commit()


def _verifies(session: Session, clinic: Clinic, at: dt.datetime) -> bool:
    found = guard.check_name_and_dob(session, clinic.practice_id, "morgan QUILL", BORN, ATTEMPT, now=at)
    session.commit()
    return found is not None


def _alert_tickets(session: Session) -> list[HandoffTicket]:
    session.expire_all()
    return [
        ticket
        for ticket in session.scalars(select(HandoffTicket).order_by(HandoffTicket.id))
        if (ticket.context or {}).get("alert") == ALERT_KIND
    ]


def test_the_name_dob_lock_lasts_the_cool_down_then_lifts(session: Session, clinic: Clinic) -> None:
    _client(session, clinic)
    _fail(session, clinic, T0, guard.NAME_DOB_MAX_FAILURES - 1)
    assert _verifies(session, clinic, T0)  # below the threshold the right details still work
    _fail(session, clinic, T0)
    assert not _verifies(session, clinic, T0 + guard.NAME_DOB_COOLDOWN - dt.timedelta(minutes=1))
    assert _verifies(session, clinic, T0 + guard.NAME_DOB_COOLDOWN + dt.timedelta(minutes=1))


def test_failures_spread_wider_than_the_window_do_not_lock(session: Session, clinic: Clinic) -> None:
    _client(session, clinic)
    for step in range(guard.NAME_DOB_MAX_FAILURES * 2):  # one every 15 minutes: 4 per hour at most
        _fail(session, clinic, T0 + step * dt.timedelta(minutes=15))
    assert _verifies(session, clinic, T0 + dt.timedelta(hours=3))
    assert _alert_tickets(session) == []


def test_a_new_lock_reuses_the_open_alert_ticket_and_opens_a_new_one_once_closed(
    session: Session, clinic: Clinic
) -> None:
    client = _client(session, clinic)
    _fail(session, clinic, T0, guard.NAME_DOB_MAX_FAILURES + 3)  # failures during the lock: no new ticket
    later = T0 + guard.NAME_DOB_COOLDOWN + dt.timedelta(minutes=5)
    _fail(session, clinic, later, guard.NAME_DOB_MAX_FAILURES)  # a second lock while the ticket is open
    (ticket,) = _alert_tickets(session)
    assert ticket.context["locked_until"] == (later + guard.NAME_DOB_COOLDOWN).isoformat()
    assert ticket.conversation.client_id == client.id and ticket.conversation.token_hash is None
    ticket.state = TicketState.CLOSED  # a person dealt with it
    session.commit()
    _fail(session, clinic, later + 2 * guard.NAME_DOB_COOLDOWN, guard.NAME_DOB_MAX_FAILURES)
    first, second = _alert_tickets(session)
    assert second.id != first.id and second.conversation_id == first.conversation_id


def test_codes_per_client_are_capped_per_day_too(session: Session, clinic: Clinic) -> None:
    client = _client(session, clinic)
    sent = [
        guard.may_text_code(session, client, ATTEMPT, now=T0 + hour * dt.timedelta(hours=1, minutes=1))
        for hour in range(5)
        for _ in range(3)
    ]
    # Three in each of the first three hours, then one more: ten in a day, then none.
    assert sent == [True] * 9 + [True, False, False] + [False] * 3
    assert sum(sent) == guard.CODE_TEXTS_PER_DAY


def test_wrong_codes_lock_codes_for_the_cool_down(session: Session, clinic: Clinic) -> None:
    client = _client(session, clinic)
    attempt = guard.Attempt("conversation-under-test", "sms_code", None, None)
    for minute in range(guard.CODE_MAX_WRONG):
        assert not guard.code_locked(session, client.id, T0 + dt.timedelta(minutes=minute))
        guard.record_wrong_code(session, client.id, attempt, now=T0 + dt.timedelta(minutes=minute))
    last = T0 + dt.timedelta(minutes=guard.CODE_MAX_WRONG - 1)
    assert guard.code_locked(session, client.id, last + guard.CODE_COOLDOWN - dt.timedelta(minutes=1))
    assert not guard.code_locked(session, client.id, last + guard.CODE_COOLDOWN + dt.timedelta(minutes=1))
    assert not guard.may_text_code(session, client, attempt, now=last + dt.timedelta(minutes=1))
    (ticket,) = _alert_tickets(session)
    assert ticket.context["method"] == "sms_code"
