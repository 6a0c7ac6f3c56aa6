"""The bench's own clients, in its throwaway database: one per concurrent caller or chat.

Each is shaped like the demo's Jordan (a video session with Dr. Patel two days out), with a
mobile number and date of birth of its own, so concurrent calls never share a caller ID and
every turn goes through verification and the real look-ups, as a known client's would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from assistant import demo
from assistant.services.appointments import book, find_open_slots
from assistant.store.engine import session_scope
from assistant.store.models import Client, Clinician, Modality, Practice, utcnow

# Letters only: the name check folds digits and punctuation away.
LAST_NAMES = (
    *("Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Hazel", "Juniper"),
    *("Laurel", "Maple", "Oak", "Pine", "Rowan", "Spruce", "Willow", "Yew"),
)


@dataclass(frozen=True)
class BenchClient:
    first_name: str
    last_name: str
    mobile: str
    date_of_birth: dt.date

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def keyed_date_of_birth(self) -> str:
        """As a caller keys it on the phone: MMDDYYYY."""
        return self.date_of_birth.strftime("%m%d%Y")


def create_bench_clients(database_url: str, count: int, now: dt.datetime | None = None) -> list[BenchClient]:
    if count > len(LAST_NAMES):
        raise ValueError(f"at most {len(LAST_NAMES)} bench clients")
    now = now or utcnow()
    made = []
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == demo.SLUG)).one()
        clinician = session.scalars(
            select(Clinician).where(Clinician.practice_id == practice.id, Clinician.display_name == demo.PATEL)
        ).one()
        for index, last_name in enumerate(LAST_NAMES[:count]):
            # +1 555 310 xxxx: apart from the demo's numbers and the SMS bench's senders.
            spec = BenchClient("Jordan", last_name, f"+1555310{index:04d}", dt.date(1980 + index, 3, 1 + index))
            client = Client(
                practice_id=practice.id,
                first_name=spec.first_name,
                last_name=spec.last_name,
                mobile_e164=spec.mobile,
                email=f"{spec.first_name}.{spec.last_name}@example.com".lower(),
                date_of_birth=spec.date_of_birth,
                primary_clinician_id=clinician.id,
                sms_consent=True,
                created_at=now,
            )
            session.add(client)
            session.flush()
            (start,) = find_open_slots(
                session, clinician.id, now + dt.timedelta(days=2), limit=1, modality=Modality.TELEHEALTH
            )
            # Booked (and flushed) as a client would book it: the next client's search sees it taken.
            book(
                session,
                client_id=client.id,
                clinician_id=clinician.id,
                starts_at=start,
                modality=Modality.TELEHEALTH,
                now=now,
            )
            made.append(spec)
    return made
