"""Loading the demo: whatever of it is missing is created, and what was done is summed up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from assistant.demo.data import (
    BILLING,
    CHEN,
    CHRIS,
    CLIENTS,
    CLINICIANS,
    DROPPED_OFF_DAYS_AGO,
    JORDAN,
    MORGAN,
    PATEL,
    PRIYA,
    RIVERA,
    TIMEZONE,
)
from assistant.demo.faq import ensure_faq_answers
from assistant.demo.rows import client_row, clinician_row, ensure_billing_profile, practice_row
from assistant.demo.sessions import (
    business_hour_near,
    ensure_past_session,
    ensure_unmarked_past_session,
    ensure_upcoming,
    local_start,
)
from assistant.demo_console import load_demo_console
from assistant.store.models import Modality, utcnow


@dataclass(frozen=True)
class DemoSummary:
    practice_created: bool
    clinicians_created: int
    clinicians_existing: int
    clients_created: int
    clients_existing: int
    appointments_created: int
    faq_answers_created: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.practice_created
            or self.clinicians_created
            or self.clients_created
            or self.appointments_created
            or self.faq_answers_created
        )


def load_demo_data(session: Session, now: dt.datetime | None = None) -> DemoSummary:
    """Create whatever of the demo is missing; running it again changes nothing."""
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(TIMEZONE)
    practice, practice_created = practice_row(session)
    clinicians, clinicians_created = {}, 0
    for name, office, windows, exceptions in CLINICIANS:
        clinician, created = clinician_row(
            session, practice, name, office, windows, exceptions, now.astimezone(zone).date()
        )
        clinicians[name] = clinician
        clinicians_created += created
    clients, clients_created = {}, 0
    for spec in CLIENTS:
        client, created = client_row(session, practice, spec, clinicians[spec.clinician], now)
        clients[spec] = client
        clients_created += created
    for spec, brand, last4, month, year in BILLING:
        ensure_billing_profile(session, clients[spec], brand, last4, month, year, now)
    load_demo_console(session, practice, now)  # console sign-ins and canned responses
    faq_answers_created = ensure_faq_answers(session, practice)  # parking, insurance, ...

    today = now.astimezone(zone).date()
    appointments_created = sum(
        (
            # Jordan: video with Dr. Patel, two days out at 3 PM practice time.
            ensure_upcoming(
                session,
                clients[JORDAN],
                clinicians[PATEL],
                Modality.TELEHEALTH,
                now,
                local_start(today + dt.timedelta(days=2), 15, zone),
            ),
            # Priya: in person, inside the 24-hour cancellation window (for the late-fee story).
            ensure_upcoming(
                session,
                clients[PRIYA],
                clinicians[RIVERA],
                Modality.IN_PERSON,
                now,
                # About 20 hours out, but at an hour the office is open (never 4 AM).
                business_hour_near(
                    now + dt.timedelta(hours=20),
                    zone,
                    earliest=now + dt.timedelta(hours=2),
                    before=now + dt.timedelta(hours=24),
                ),
                within=dt.timedelta(hours=24),
            ),
            # Chris: in person with Dr. Chen next week.
            ensure_upcoming(
                session,
                clients[CHRIS],
                clinicians[CHEN],
                Modality.IN_PERSON,
                now,
                local_start(today + dt.timedelta(days=7), 10, zone),
            ),
        )
    )
    # Morgan: one completed session 45 days ago and nothing since (the dropped-off worklist).
    appointments_created += ensure_past_session(
        session,
        clients[MORGAN],
        clinicians[RIVERA],
        Modality.IN_PERSON,
        local_start(today - dt.timedelta(days=DROPPED_OFF_DAYS_AGO), 11, zone),
    )
    # Chris: yesterday's session, not marked attended or no-show yet (mark it in the console).
    appointments_created += ensure_unmarked_past_session(
        session,
        clients[CHRIS],
        clinicians[CHEN],
        Modality.IN_PERSON,
        local_start(today - dt.timedelta(days=1), 10, zone),
    )
    session.flush()
    return DemoSummary(
        practice_created=practice_created,
        clinicians_created=clinicians_created,
        clinicians_existing=len(CLINICIANS) - clinicians_created,
        clients_created=clients_created,
        clients_existing=len(CLIENTS) - clients_created,
        appointments_created=appointments_created,
        faq_answers_created=faq_answers_created,
    )
