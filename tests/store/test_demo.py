"""The demo practice loads, is idempotent, and keeps its story appointments upcoming."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.demo import load_demo_data
from assistant.services import appointments as store
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    AvailabilityException,
    AvailabilityWindow,
    BillingProfile,
    Client,
    Clinician,
    Modality,
    Practice,
)

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
# Wednesday 25 November 2026, 10:17 in New York.
NOW = dt.datetime(2026, 11, 25, 15, 17, tzinfo=UTC)
TABLES = (Practice, Clinician, AvailabilityWindow, AvailabilityException, Client, BillingProfile, Appointment)


def counts(session: Session) -> dict[str, int]:
    return {model.__name__: session.scalar(select(func.count()).select_from(model)) for model in TABLES}


def client_named(session: Session, first: str, last: str) -> Client:
    return session.scalars(select(Client).where(Client.first_name == first, Client.last_name == last)).one()


def upcoming(session: Session, client: Client, now: dt.datetime) -> list[Appointment]:
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.client_id == client.id,
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.starts_at > now,
            )
            .order_by(Appointment.starts_at)
        )
    )


def test_loads_the_lakeside_practice(session: Session) -> None:
    summary = load_demo_data(session, NOW)
    session.commit()
    assert summary.practice_created and summary.changed
    assert (summary.clinicians_created, summary.clients_created) == (3, 8)
    # Jordan, Priya, Chris upcoming; Morgan's past session (dropped off); Chris's unmarked one yesterday
    assert summary.appointments_created == 5
    practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
    assert (practice.name, practice.timezone) == ("Lakeside Counseling", "America/New_York")
    assert (practice.cancellation_window_hours, practice.late_cancel_fee_cents) == (24, 7500)
    assert (practice.session_minutes, practice.response_window_minutes) == (50, 60)
    assert (practice.phone_e164, practice.oncall_e164) == ("+15555550100", "+15555550199")
    assert practice.portal_url == "https://portal.lakeside.example"
    names = set(session.scalars(select(Clinician.display_name)))
    assert names == {"Dr. Maya Patel", "Sam Rivera, LCSW", "Dr. Alex Chen"}
    assert counts(session)["AvailabilityException"] >= 1


def test_jordan_has_video_with_dr_patel_two_days_out_at_three(session: Session) -> None:
    load_demo_data(session, NOW)
    jordan = client_named(session, "Jordan", "Lee")
    assert (jordan.mobile_e164, jordan.date_of_birth) == ("+15555550123", dt.date(1990, 4, 12))
    assert jordan.sms_consent and jordan.email
    assert jordan.primary_clinician.display_name == "Dr. Maya Patel"
    card = jordan.billing_profile
    assert (card.card_brand, card.card_last4, card.exp_month, card.exp_year) == ("Visa", "4242", 8, 2028)
    [appointment] = upcoming(session, jordan, NOW)
    assert appointment.modality is Modality.TELEHEALTH
    assert appointment.clinician.display_name == "Dr. Maya Patel"
    assert appointment.telehealth_url.startswith("https://zoom.us/j/")
    assert appointment.starts_at.astimezone(NY) == dt.datetime(2026, 11, 27, 15, tzinfo=NY)
    assert store.format_slot(appointment.starts_at, NY) == "Fri Nov 27, 3:00 PM ET"


def test_an_in_person_session_inside_24_hours_exists(session: Session) -> None:
    load_demo_data(session, NOW)
    priya = client_named(session, "Priya", "Shah")
    [appointment] = upcoming(session, priya, NOW)
    assert appointment.modality is Modality.IN_PERSON
    assert appointment.clinician.display_name == "Sam Rivera, LCSW"
    assert appointment.location
    assert dt.timedelta(hours=2) <= appointment.starts_at - NOW < dt.timedelta(hours=24)
    assert appointment.starts_at.minute == 0


def test_the_other_demo_clients(session: Session) -> None:
    load_demo_data(session, NOW)
    chris = client_named(session, "Chris", "Morgan")
    [appointment] = upcoming(session, chris, NOW)
    assert (appointment.modality, appointment.clinician.display_name) == (Modality.IN_PERSON, "Dr. Alex Chen")
    assert dt.timedelta(days=6) < appointment.starts_at - NOW < dt.timedelta(days=8)
    family = session.scalars(select(Client).where(Client.mobile_e164 == "+15555550130")).all()
    assert {client.full_name for client in family} == {"Taylor Brooks", "Riley Brooks"}
    opted_out = session.scalars(select(Client).where(Client.sms_consent.is_(False))).all()
    assert len(opted_out) == 1 and opted_out[0].sms_opted_out_at is not None
    without = [client for client in session.scalars(select(Client)) if not upcoming(session, client, NOW)]
    assert without  # someone with nothing booked, for the "book a first session" story


def test_loading_twice_changes_nothing(session: Session) -> None:
    load_demo_data(session, NOW)
    session.commit()
    before = counts(session)
    summary = load_demo_data(session, NOW)
    session.commit()
    assert not summary.changed
    assert (summary.clinicians_existing, summary.clients_existing) == (3, 8)
    assert counts(session) == before


@pytest.mark.parametrize("days_later", [1, 3, 10])
def test_rerun_later_books_fresh_story_sessions_without_duplicating_people(session: Session, days_later: int) -> None:
    load_demo_data(session, NOW)
    session.commit()
    before = counts(session)
    later = NOW + dt.timedelta(days=days_later)
    load_demo_data(session, later)
    session.commit()
    after = counts(session)
    assert {name: after[name] for name in after if name != "Appointment"} == {
        name: before[name] for name in before if name != "Appointment"
    }
    jordan = client_named(session, "Jordan", "Lee")
    assert any(appointment.modality is Modality.TELEHEALTH for appointment in upcoming(session, jordan, later))
    priya = client_named(session, "Priya", "Shah")
    assert any(
        appointment.starts_at - later < dt.timedelta(hours=24) for appointment in upcoming(session, priya, later)
    )


def test_rerun_replaces_a_cancelled_story_session(session: Session) -> None:
    load_demo_data(session, NOW)
    session.commit()
    jordan = client_named(session, "Jordan", "Lee")
    [original] = upcoming(session, jordan, NOW)
    store.cancel(session, appointment_id=original.id, now=NOW, actor="client:test")
    session.commit()
    summary = load_demo_data(session, NOW)
    session.commit()
    assert summary.appointments_created == 1
    [fresh] = upcoming(session, jordan, NOW)
    assert fresh.id != original.id and fresh.starts_at == original.starts_at


def test_demo_clinicians_offer_after_five_and_saturday(session: Session) -> None:
    load_demo_data(session, NOW)
    windows = session.scalars(select(AvailabilityWindow)).all()
    assert any(window.end_time >= dt.time(19) for window in windows)
    assert any(window.weekday == 5 for window in windows)


def test_naive_now_is_refused(session: Session) -> None:
    with pytest.raises(ValueError):
        load_demo_data(session, dt.datetime(2026, 11, 25, 10))
