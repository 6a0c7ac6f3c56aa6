"""Clients of the demo practice that only one test uses, made like the demo's own.

End-to-end tests share one running stack and one database.  A test that reschedules,
cancels, updates a card or fails a verification would change the demo clients
(Jordan, Priya, Chris) for every later test; a client locked after five failed
checks would break them all.  So each test makes its own client with a unique name,
date of birth and mobile number, shaped like one of the demo clients (same first
name, clinician, kind of session and card), directly in the stack's database.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import demo
from assistant.demo.sessions import clinician_is_free
from assistant.services.appointments import find_open_slots, new_telehealth_url
from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    BillingProfile,
    Client,
    Clinician,
    Modality,
    Practice,
    utcnow,
)

# Letters only: the name check folds digits and punctuation away.
SYLLABLES = ("ba", "ko", "ri", "lu", "mo", "ne", "ta", "vi", "de", "sa", "pe", "go")


@dataclass(frozen=True)
class Card:
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class Shape:
    """What a demo client looks like: who they see, and how their next session is held."""

    first_name: str
    clinician: str
    modality: Modality | None  # None: no upcoming session (like Avery)
    card: Card | None = None
    inside_cancellation_window: bool = False  # Priya's session is less than 24 hours away


JORDAN = Shape("Jordan", demo.PATEL, Modality.TELEHEALTH, Card("Visa", "4242", 8, 2028))
PRIYA = Shape("Priya", demo.RIVERA, Modality.IN_PERSON, inside_cancellation_window=True)
CHRIS = Shape("Chris", demo.CHEN, Modality.IN_PERSON, Card("Mastercard", "4444", 1, 2025))
AVERY = Shape("Avery", demo.RIVERA, None)


@dataclass(frozen=True)
class OwnClient:
    id: int
    first_name: str
    last_name: str
    mobile: str
    date_of_birth: dt.date

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def identity(self) -> tuple[str, str]:
        """(full name, ISO date of birth), as `open_chat` and the chat API take them."""
        return self.name, self.date_of_birth.isoformat()

    @property
    def wrong_date_of_birth(self) -> dt.date:
        """A date of birth a year off, for a check that must fail."""
        return self.date_of_birth + dt.timedelta(days=365)

    @property
    def typed_date_of_birth(self) -> str:
        """The date of birth as a client types it in chat: 04/12/1990."""
        return self.date_of_birth.strftime("%m/%d/%Y")


def create_client(database_url: str, shape: Shape = JORDAN, now: dt.datetime | None = None) -> OwnClient:
    """A new client of the demo practice shaped like a demo client, with its own session."""
    now = now or utcnow()
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == demo.SLUG)).one()
        clinician = session.scalars(
            select(Clinician).where(Clinician.practice_id == practice.id, Clinician.display_name == shape.clinician)
        ).one()
        client = Client(
            practice_id=practice.id,
            first_name=shape.first_name,
            last_name=_unique_last_name(session, practice.id),
            mobile_e164=_unique_mobile(session),
            date_of_birth=_random_date_of_birth(),
            primary_clinician_id=clinician.id,
            sms_consent=True,
            created_at=now,
        )
        client.email = f"{client.first_name}.{client.last_name}@example.com".lower()
        session.add(client)
        session.flush()
        if shape.card is not None:
            session.add(
                BillingProfile(
                    client_id=client.id,
                    card_brand=shape.card.brand,
                    card_last4=shape.card.last4,
                    exp_month=shape.card.exp_month,
                    exp_year=shape.card.exp_year,
                    updated_at=now,
                )
            )
        if shape.modality is not None:
            _book(session, practice, clinician, client, shape, now)
        return OwnClient(client.id, client.first_name, client.last_name, client.mobile_e164 or "", client.date_of_birth)


def _book(
    session: Session, practice: Practice, clinician: Clinician, client: Client, shape: Shape, now: dt.datetime
) -> None:
    length = dt.timedelta(minutes=practice.session_minutes)
    if shape.inside_cancellation_window:
        # Like the demo's Priya: booked before the window closed, need not sit in hours.
        start = next(
            start for start in _late_cancel_starts(now) if clinician_is_free(session, clinician, start, length)
        )
    else:
        # The first open time inside the clinician's hours (and outside their exceptions),
        # two days out for video like Jordan's, a week out in person like Chris's: a test
        # that moves the session must find the old time open again.
        days_out = 2 if shape.modality is Modality.TELEHEALTH else 7
        (start,) = find_open_slots(
            session, clinician.id, now + dt.timedelta(days=days_out), limit=1, modality=shape.modality
        )
    session.add(
        Appointment(
            practice_id=practice.id,
            client_id=client.id,
            clinician_id=clinician.id,
            starts_at=start,
            ends_at=start + length,
            modality=shape.modality,
            location=clinician.office if shape.modality is Modality.IN_PERSON else None,
            telehealth_url=new_telehealth_url() if shape.modality is Modality.TELEHEALTH else None,
            status=AppointmentStatus.BOOKED,
            status_changed_at=now,
            created_at=now,
        )
    )
    session.flush()


def _late_cancel_starts(now: dt.datetime) -> Iterator[dt.datetime]:
    """Priya's kind: on the hour, inside the 24-hour cancellation window (20 hours out first)."""
    top = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    for hours in (20, 21, 22, 23, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3):
        yield top + dt.timedelta(hours=hours)


def _unique_last_name(session: Session, practice_id: int) -> str:
    while True:
        name = "Vale" + "".join(secrets.choice(SYLLABLES) for _ in range(5))
        taken = session.scalars(
            select(Client.id).where(Client.practice_id == practice_id, Client.last_name == name)
        ).first()
        if taken is None:
            return name


def _unique_mobile(session: Session) -> str:
    # +1 555 3xx xxxx: apart from the demo's numbers (+1 555 555 01xx) and the series
    # other tests text from (+1 555 4.., 6.., 7.., 8..; see stack_sms.fresh_numbers).
    while True:
        mobile = f"+1555{3_000_000 + secrets.randbelow(1_000_000)}"
        if session.scalars(select(Client.id).where(Client.mobile_e164 == mobile)).first() is None:
            return mobile


def _random_date_of_birth() -> dt.date:
    return dt.date(1950, 1, 1) + dt.timedelta(days=secrets.randbelow(50 * 365))
