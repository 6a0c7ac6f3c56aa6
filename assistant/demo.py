"""Demo data for "Lakeside Counseling": a practice, three clinicians, a handful of clients.

Loading is idempotent: records are found by natural keys (practice slug,
clinician name, client name and mobile) and only missing ones are created.
The few appointments the demo scripts rely on are kept *upcoming*: when
re-run after they have passed (or were cancelled), fresh ones are booked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.demo_console import load_demo_console
from assistant.services.appointments import new_telehealth_url
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    AvailabilityException,
    AvailabilityModality,
    AvailabilityWindow,
    BillingProfile,
    Client,
    Clinician,
    Modality,
    Practice,
    utcnow,
)

SLUG = "lakeside"
TIMEZONE = "America/New_York"
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
EITHER, IN_PERSON_ONLY, VIDEO_ONLY = (
    AvailabilityModality.EITHER,
    AvailabilityModality.IN_PERSON,
    AvailabilityModality.TELEHEALTH,
)
PATEL, RIVERA, CHEN = "Dr. Maya Patel", "Sam Rivera, LCSW", "Dr. Alex Chen"
WEEKDAYS_9_TO_5 = [["09:00", "17:00"]]
# Sites that may embed the demo chat widget (the gateway's own origin is always allowed).
WIDGET_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")

# (weekday, start, end, modality) and (days from first load, start, end, reason): None is all day.
WindowSpec = tuple[int, str, str, AvailabilityModality]
ExceptionSpec = tuple[int, str | None, str | None, str]
# (name, office, windows, exceptions)
CLINICIANS: list[tuple[str, str, list[WindowSpec], list[ExceptionSpec]]] = [
    (
        PATEL,
        "Suite 210",
        [
            *((day, "09:00", "17:00", EITHER) for day in (MON, TUE, WED, THU)),
            (TUE, "17:00", "19:00", VIDEO_ONLY),
            (THU, "17:00", "19:00", VIDEO_ONLY),
            (FRI, "09:00", "17:00", EITHER),
            # Weekend video hours, so the demo session (always two days out at 3 PM) sits
            # inside her availability whatever day the demo is loaded.
            (SAT, "10:00", "16:00", VIDEO_ONLY),
            (SUN, "12:00", "16:00", VIDEO_ONLY),
        ],
        [(3, "12:00", "14:00", "Clinical supervision")],
    ),
    (RIVERA, "Suite 120", [*((day, "11:00", "19:00", EITHER) for day in (MON, TUE, WED, THU, FRI))], []),
    (
        CHEN,
        "Suite 305",
        [*((day, "09:00", "17:00", IN_PERSON_ONLY) for day in (MON, WED, FRI)), (SAT, "09:00", "12:00", VIDEO_ONLY)],
        [(12, None, None, "Conference")],
    ),
]


@dataclass(frozen=True)
class DemoClient:
    first_name: str
    last_name: str
    mobile: str
    date_of_birth: dt.date
    clinician: str
    sms_consent: bool = True


JORDAN = DemoClient("Jordan", "Lee", "+15555550123", dt.date(1990, 4, 12), PATEL)
PRIYA = DemoClient("Priya", "Shah", "+15555550124", dt.date(1985, 9, 30), RIVERA)
CHRIS = DemoClient("Chris", "Morgan", "+15555550125", dt.date(1978, 1, 5), CHEN)
CLIENTS = [
    JORDAN,
    PRIYA,
    CHRIS,
    DemoClient("Avery", "Kim", "+15555550126", dt.date(1995, 6, 18), RIVERA),  # no appointment
    # A parent and a teen on one family phone, for the SMS "which of you?" case.
    DemoClient("Taylor", "Brooks", "+15555550130", dt.date(1982, 3, 9), CHEN),
    DemoClient("Riley", "Brooks", "+15555550130", dt.date(2010, 11, 2), CHEN),
    DemoClient(
        "Dana", "Whitfield", "+15555550127", dt.date(1972, 7, 21), PATEL, sms_consent=False
    ),  # opted out of texts
]
# (client, brand, last4, exp_month, exp_year); Chris's card has expired on purpose.
BILLING = [(JORDAN, "Visa", "4242", 8, 2028), (CHRIS, "Mastercard", "4444", 1, 2025)]


@dataclass(frozen=True)
class DemoSummary:
    practice_created: bool
    clinicians_created: int
    clinicians_existing: int
    clients_created: int
    clients_existing: int
    appointments_created: int

    @property
    def changed(self) -> bool:
        return bool(
            self.practice_created or self.clinicians_created or self.clients_created or self.appointments_created
        )


def load_demo_data(session: Session, now: dt.datetime | None = None) -> DemoSummary:
    """Create whatever of the demo is missing; running it again changes nothing."""
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(TIMEZONE)
    practice, practice_created = _practice(session)
    clinicians, clinicians_created = {}, 0
    for name, office, windows, exceptions in CLINICIANS:
        clinician, created = _clinician(
            session, practice, name, office, windows, exceptions, now.astimezone(zone).date()
        )
        clinicians[name] = clinician
        clinicians_created += created
    clients, clients_created = {}, 0
    for spec in CLIENTS:
        client, created = _client(session, practice, spec, clinicians[spec.clinician], now)
        clients[spec] = client
        clients_created += created
    for spec, brand, last4, month, year in BILLING:
        _billing_profile(session, clients[spec], brand, last4, month, year, now)
    load_demo_console(session, practice, now)  # console sign-ins and canned responses

    today = now.astimezone(zone).date()
    appointments_created = sum(
        (
            # Jordan: video with Dr. Patel, two days out at 3 PM practice time.
            _ensure_upcoming(
                session,
                clients[JORDAN],
                clinicians[PATEL],
                Modality.TELEHEALTH,
                now,
                _local(today + dt.timedelta(days=2), 15, zone),
            ),
            # Priya: in person, inside the 24-hour cancellation window (for the late-fee story).
            _ensure_upcoming(
                session,
                clients[PRIYA],
                clinicians[RIVERA],
                Modality.IN_PERSON,
                now,
                _next_hour(now + dt.timedelta(hours=20)),
                within=dt.timedelta(hours=24),
            ),
            # Chris: in person with Dr. Chen next week.
            _ensure_upcoming(
                session,
                clients[CHRIS],
                clinicians[CHEN],
                Modality.IN_PERSON,
                now,
                _local(today + dt.timedelta(days=7), 10, zone),
            ),
        )
    )
    session.flush()
    return DemoSummary(
        practice_created=practice_created,
        clinicians_created=clinicians_created,
        clinicians_existing=len(CLINICIANS) - clinicians_created,
        clients_created=clients_created,
        clients_existing=len(CLIENTS) - clients_created,
        appointments_created=appointments_created,
    )


# Where a caller who asks for a person is put through in business hours (a demo number:
# without Twilio credentials nothing is dialled; `assistant call --dial` plays the outcome).
FRONT_DESK_NUMBERS = ("+15555550150",)


def _practice(session: Session) -> tuple[Practice, bool]:
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


def _clinician(
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


def _client(
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


def _billing_profile(
    session: Session, client: Client, brand: str, last4: str, month: int, year: int, now: dt.datetime
) -> None:
    exists = session.scalars(select(BillingProfile).where(BillingProfile.client_id == client.id)).first()
    if exists is None:
        session.add(
            BillingProfile(
                client_id=client.id, card_brand=brand, card_last4=last4, exp_month=month, exp_year=year, updated_at=now
            )
        )


def _ensure_upcoming(
    session: Session,
    client: Client,
    clinician: Clinician,
    modality: Modality,
    now: dt.datetime,
    preferred_start: dt.datetime,
    within: dt.timedelta | None = None,
) -> int:
    """Book one session unless the client already has a suitable upcoming one; 1 if booked."""
    upcoming = select(Appointment).where(
        Appointment.client_id == client.id,
        Appointment.clinician_id == clinician.id,
        Appointment.modality == modality,
        Appointment.status == AppointmentStatus.BOOKED,
        Appointment.starts_at > now,
    )
    if within is not None:
        upcoming = upcoming.where(Appointment.starts_at <= now + within)
    if session.scalars(upcoming).first() is not None:
        return 0
    practice = clinician.practice
    length = dt.timedelta(minutes=practice.session_minutes)
    start = _free_start(
        session, clinician, preferred_start, length, step=dt.timedelta(hours=1) if within else dt.timedelta(days=1)
    )
    session.add(
        Appointment(
            practice_id=practice.id,
            client_id=client.id,
            clinician_id=clinician.id,
            starts_at=start,
            ends_at=start + length,
            modality=modality,
            location=clinician.office if modality is Modality.IN_PERSON else None,
            telehealth_url=new_telehealth_url() if modality is Modality.TELEHEALTH else None,
            status=AppointmentStatus.BOOKED,
            status_changed_at=now,
            created_at=now,
        )
    )
    session.flush()
    return 1


def _free_start(
    session: Session, clinician: Clinician, start: dt.datetime, length: dt.timedelta, step: dt.timedelta
) -> dt.datetime:
    # Demo sessions are existing bookings, so they need not sit inside availability;
    # they only must not collide with another booked session of the same clinician.
    while (
        session.scalars(
            select(Appointment.id).where(
                Appointment.clinician_id == clinician.id,
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.starts_at < start + length,
                Appointment.ends_at > start,
            )
        ).first()
        is not None
    ):
        start += step
    return start


def _local(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def _next_hour(moment: dt.datetime) -> dt.datetime:
    floor = moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + dt.timedelta(hours=1)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)
