"""Eight clients press "book" on the same slot at once: exactly one gets it.

Every thread has its own session (its own connection and transaction) and all
are released together by a barrier, so they pass the availability check
together and the database's partial unique index has to decide.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from assistant.services import appointments as store
from assistant.store.models import Appointment, AppointmentStatus, Modality
from tests.support.race import race

if TYPE_CHECKING:
    from tests.support.clinic import Clinic

RACERS = 8
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
SLOT = dt.datetime(2026, 6, 2, 10, tzinfo=ZoneInfo("America/New_York")).astimezone(dt.UTC)


def _race(engine: Engine, clinic: Clinic) -> list[object]:
    def attempt(session: Session, racer: int) -> int:
        return store.book(
            session,
            client_id=clinic.client_ids[racer],
            clinician_id=clinic.clinician_id,
            starts_at=SLOT,
            modality=Modality.TELEHEALTH,
            now=NOW,
        ).id

    return race(engine, RACERS, attempt)


def test_exactly_one_of_many_simultaneous_bookings_wins(engine: Engine, clinic: Clinic) -> None:
    outcomes = _race(engine, clinic)

    winners = [outcome for outcome in outcomes if isinstance(outcome, int)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, store.SlotUnavailable)]
    unexpected = [outcome for outcome in outcomes if outcome not in winners and outcome not in losers]
    assert unexpected == []
    assert len(winners) == 1
    assert len(losers) == RACERS - 1

    with Session(engine) as session:
        booked = session.scalars(
            select(Appointment).where(Appointment.clinician_id == clinic.clinician_id, Appointment.starts_at == SLOT)
        ).all()
        assert [appointment.id for appointment in booked] == winners
        assert booked[0].status is AppointmentStatus.BOOKED
        assert session.scalar(select(func.count()).select_from(Appointment)) == 1
