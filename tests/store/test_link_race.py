"""Two requests redeem one single-use link at the same instant (a double tap on "Continue",
or two submissions of the card form): exactly one uses it.  SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from assistant.services.links import LinkInvalid, issue_link, redeem_link
from assistant.store.models import AccessLink, Client, LinkPurpose, Practice
from tests.support.race import race

if TYPE_CHECKING:
    from tests.support.clinic import Clinic

RACERS = 6


def test_exactly_one_redemption_wins(engine: Engine, session: Session, clinic: Clinic) -> None:
    token = issue_link(
        session,
        client=session.get(Client, clinic.client_ids[0]),
        practice=session.get(Practice, clinic.practice_id),
        purpose=LinkPurpose.PORTAL_SIGN_IN,
        public_base_url="https://frontdesk.test.example",
        ttl_minutes=30,
    ).rsplit("/", 1)[1]
    session.commit()

    # On PostgreSQL every racer first sees the link unused in its own transaction, so only the
    # UPDATE itself can decide.  (SQLite takes the write lock at the first statement: there the
    # racers queue, and a second barrier would deadlock them.)
    all_have_read = threading.Barrier(RACERS, timeout=30)

    def attempt(own: Session, _index: int) -> int:
        if engine.dialect.name == "postgresql":
            assert own.scalars(select(AccessLink).where(AccessLink.used_at.is_(None))).first()
            all_have_read.wait()
        return redeem_link(own, token, LinkPurpose.PORTAL_SIGN_IN).id

    outcomes = race(engine, RACERS, attempt)

    winners = [outcome for outcome in outcomes if isinstance(outcome, int)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, LinkInvalid)]
    assert (len(winners), len(losers)) == (1, RACERS - 1), outcomes
    session.expire_all()
    assert session.get(AccessLink, winners[0]).used_at is not None
