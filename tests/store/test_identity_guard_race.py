"""Many chats try one client's identity at the same instant: the per-client counts still hold
exactly (the client's row serializes them).  No more than the cap of codes is texted, and one
burst of failures makes one lock and one alert ticket.  SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from assistant.services import identity_guard as guard
from assistant.services import verification_codes as codes
from assistant.services.identity_alerts import ALERT_KIND
from assistant.store.models import (
    AuditEvent,
    Channel,
    Client,
    Conversation,
    HandoffTicket,
    VerificationCode,
)
from tests.support.race import race

if TYPE_CHECKING:
    from tests.support.clinic import Clinic

RACERS = 8


def _client(session: Session, clinic: Clinic) -> Client:
    """One client with a name of their own (the clinic's clients all fold to "client test")."""
    client = Client(
        practice_id=clinic.practice_id,
        first_name="Morgan",
        last_name="Quill",
        mobile_e164="+15555559876",
        date_of_birth=dt.date(1988, 8, 8),
        sms_consent=True,
    )
    session.add(client)
    session.commit()
    return client


def _chats(session: Session, clinic: Clinic) -> list[str]:
    chats = [
        Conversation(practice_id=clinic.practice_id, channel=Channel.WEB, token_hash="x" * 64) for _ in range(RACERS)
    ]
    session.add_all(chats)
    session.commit()
    return [chat.id for chat in chats]


def _events(session: Session, action: str, client_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.subject_type == "client",
                AuditEvent.subject_id == str(client_id),
                AuditEvent.action == action,
            )
        )
        or 0
    )


def test_simultaneous_code_requests_text_no_more_than_the_cap(engine: Engine, session: Session, clinic: Clinic) -> None:
    client = _client(session, clinic)
    name, born = client.full_name, client.date_of_birth
    chats = _chats(session, clinic)

    def attempt(own: Session, index: int) -> None:
        codes.request_code(own, own.get(Conversation, chats[index]), name, born)

    outcomes = race(engine, RACERS, attempt)
    assert outcomes == [None] * RACERS
    session.expire_all()
    assert (
        session.scalar(
            select(func.count()).select_from(VerificationCode).where(VerificationCode.client_id == client.id)
        )
        == guard.CODE_TEXTS_PER_HOUR
    )
    assert _events(session, guard.CODE_SENT, client.id) == guard.CODE_TEXTS_PER_HOUR
    assert _events(session, guard.CODE_WITHHELD, client.id) == RACERS - guard.CODE_TEXTS_PER_HOUR


def test_a_burst_of_failures_locks_once_and_opens_one_ticket(engine: Engine, session: Session, clinic: Clinic) -> None:
    client = _client(session, clinic)
    name, wrong = client.full_name, client.date_of_birth + dt.timedelta(days=1)
    chats = _chats(session, clinic)

    def attempt(own: Session, index: int) -> object:
        return guard.check_name_and_dob(
            own, clinic.practice_id, name, wrong, guard.Attempt(chats[index], "name_dob_prechat", "192.0.2.1")
        )

    outcomes = race(engine, RACERS, attempt)
    assert outcomes == [None] * RACERS
    session.expire_all()
    assert _events(session, guard.NAME_DOB_FAILED, client.id) == RACERS
    assert _events(session, guard.NAME_DOB_LOCKED, client.id) == 1
    tickets = [
        ticket for ticket in session.scalars(select(HandoffTicket)) if (ticket.context or {}).get("alert") == ALERT_KIND
    ]
    assert len(tickets) == 1
