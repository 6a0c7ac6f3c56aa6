"""The demo's practice, clinicians, clients and cards in the store: each found by its natural
key (practice slug, clinician name, client name and mobile) and created only if missing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.demo.data import (
    FRONT_DESK_NUMBERS,
    SLUG,
    TIMEZONE,
    WEEKDAYS_9_TO_5,
    WIDGET_ORIGINS,
    DemoClient,
    ExceptionSpec,
    WindowSpec,
)
from assistant.store.models import (
    AvailabilityException,
    AvailabilityWindow,
    BillingProfile,
    Client,
    Clinician,
    Practice,
)


def practice_row(session: Session) -> tuple[Practice, bool]:
    practice = session.scalars(select(Practice).where(Practice.slug == SLUG)).first()
    if practice is not None:
        if practice.widget_allowed_origins is None:  # demo data loaded before the widget existed
            practice.widget_allowed_origins = list(WIDGET_ORIGINS)
        if practice.front_desk_numbers is None:  # demo data loaded before the phone line existed
            practice.front_desk_numbers = list(FRONT_DESK_NUMBERS)
        return practice, False
    practice = Practice(
        slug=SLUG,
        name="Lakeside Counseling",
        timezone=TIMEZONE,
        business_hours={
            **{day: WEEKDAYS_9_TO_5 for day in ("mon", "tue", "wed", "thu", "fri")},
            "sat": [["09:00", "12:00"]],
        },
        cancellation_window_hours=24,
        late_cancel_fee_cents=7500,
        response_window_minutes=60,
        session_minutes=50,
        phone_e164="+15555550100",
        oncall_e164="+15555550199",
        portal_url="https://portal.lakeside.example",
        billing_update_url=None,
        sms_clinical_details_allowed=False,
        widget_allowed_origins=list(WIDGET_ORIGINS),
        front_desk_numbers=list(FRONT_DESK_NUMBERS),
    )
    session.add(practice)
    session.flush()
    return practice, True


def clinician_row(
    session: Session,
    practice: Practice,
    name: str,
    office: str,
    windows: list[WindowSpec],
    exceptions: list[ExceptionSpec],
    today: dt.date,
) -> tuple[Clinician, bool]:
    clinician = session.scalars(
        select(Clinician).where(Clinician.practice_id == practice.id, Clinician.display_name == name)
    ).first()
    if clinician is not None:
        return clinician, False
    # Availability is only laid out on first load; later edits (by staff) are kept.
    clinician = Clinician(practice=practice, display_name=name, office=office, active=True)
    clinician.availability = [
        AvailabilityWindow(weekday=day, start_time=_time(start), end_time=_time(end), modality=modality)
        for day, start, end, modality in windows
    ]
    clinician.exceptions = [
        AvailabilityException(
            on_date=today + dt.timedelta(days=days_out),
            start_time=_time(start) if start else None,
            end_time=_time(end) if end else None,
            reason=reason,
        )
        for days_out, start, end, reason in exceptions
    ]
    session.add(clinician)
    session.flush()
    return clinician, True


def client_row(
    session: Session, practice: Practice, spec: DemoClient, clinician: Clinician, now: dt.datetime
) -> tuple[Client, bool]:
    client = session.scalars(
        select(Client).where(
            Client.practice_id == practice.id,
            Client.mobile_e164 == spec.mobile,
            Client.first_name == spec.first_name,
            Client.last_name == spec.last_name,
        )
    ).first()
    if client is not None:
        return client, False
    client = Client(
        practice_id=practice.id,
        first_name=spec.first_name,
        last_name=spec.last_name,
        mobile_e164=spec.mobile,
        date_of_birth=spec.date_of_birth,
        email=f"{spec.first_name}.{spec.last_name}@example.com".lower(),
        primary_clinician_id=clinician.id,
        sms_consent=spec.sms_consent,
        sms_opted_out_at=None if spec.sms_consent else now,
        created_at=now,
    )
    session.add(client)
    session.flush()
    return client, True


def ensure_billing_profile(
    session: Session, client: Client, brand: str, last4: str, month: int, year: int, now: dt.datetime
) -> None:
    exists = session.scalars(select(BillingProfile).where(BillingProfile.client_id == client.id)).first()
    if exists is None:
        session.add(
            BillingProfile(
                client_id=client.id, card_brand=brand, card_last4=last4, exp_month=month, exp_year=year, updated_at=now
            )
        )


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)
