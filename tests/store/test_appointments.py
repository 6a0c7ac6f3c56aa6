"""Appointment operations against a real, migrated database (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from assistant.scheduling.preferences import SlotPreference
from assistant.services import appointments as store
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    AvailabilityException,
    Modality,
)

if TYPE_CHECKING:
    from tests.support.clinic import Clinic

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
# Monday 1 June 2026, 08:00 in New York: with two hours' lead, 10:00 is the first slot.
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A June 2026 New York wall-clock time as a UTC instant."""
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=NY).astimezone(UTC)


def book(
    session: Session, clinic: Clinic, start: dt.datetime, *, client: int = 0, modality: Modality = Modality.TELEHEALTH
) -> Appointment:
    appointment = store.book(
        session,
        client_id=clinic.client_ids[client],
        clinician_id=clinic.clinician_id,
        starts_at=start,
        modality=modality,
        now=NOW,
    )
    session.commit()
    return appointment


def count(session: Session, model: type, *conditions: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*conditions))


def audit_actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_format_slot_is_practice_local_without_leading_zero() -> None:
    # Winter and summer alike "ET", never EST/EDT: the label clients use.
    assert store.format_slot(dt.datetime(2026, 11, 27, 20, tzinfo=UTC), NY) == "Fri Nov 27, 3:00 PM ET"
    assert store.format_slot(dt.datetime(2026, 6, 1, 13, tzinfo=UTC), "America/New_York") == ("Mon Jun 1, 9:00 AM ET")
    assert store.format_slot(dt.datetime(2026, 6, 1, 16, 30, tzinfo=UTC), NY) == "Mon Jun 1, 12:30 PM ET"
    assert store.format_slot(dt.datetime(2026, 6, 2, 4, tzinfo=UTC), NY) == "Tue Jun 2, 12:00 AM ET"
    assert store.format_slot(dt.datetime(2026, 6, 2, 4, tzinfo=UTC), "America/Los_Angeles") == "Mon Jun 1, 9:00 PM PT"


def test_next_appointment_is_the_earliest_booked_future_one(session: Session, clinic: Clinic) -> None:
    assert store.next_appointment(session, clinic.client_ids[0], NOW) is None
    later = book(session, clinic, local(3, 10))
    sooner = book(session, clinic, local(2, 10))
    assert store.next_appointment(session, clinic.client_ids[0], NOW).id == sooner.id
    store.cancel(session, appointment_id=sooner.id, now=NOW, actor="client:1")
    session.commit()
    assert store.next_appointment(session, clinic.client_ids[0], NOW).id == later.id
    assert store.next_appointment(session, clinic.client_ids[0], local(3, 11)) is None
    assert store.next_appointment(session, clinic.client_ids[1], NOW) is None


def test_find_open_slots_starts_after_the_lead_time(session: Session, clinic: Clinic) -> None:
    starts = store.find_open_slots(session, clinic.clinician_id, NOW)
    assert starts == [local(1, 10), local(1, 11), local(1, 12)]


def test_find_open_slots_skips_booked_times(session: Session, clinic: Clinic) -> None:
    book(session, clinic, local(1, 10))
    book(session, clinic, local(1, 12), client=1)
    assert store.find_open_slots(session, clinic.clinician_id, NOW) == [local(1, 11), local(1, 13), local(1, 14)]


def test_cancelled_sessions_do_not_block(session: Session, clinic: Clinic) -> None:
    appointment = book(session, clinic, local(1, 10))
    store.cancel(session, appointment_id=appointment.id, now=NOW, actor="client:1")
    session.commit()
    assert store.find_open_slots(session, clinic.clinician_id, NOW)[0] == local(1, 10)


def test_find_open_slots_honours_the_preference(session: Session, clinic: Clinic) -> None:
    friday_afternoon = SlotPreference(weekdays=frozenset({4}), not_before=dt.time(12))
    book(session, clinic, local(5, 13))
    starts = store.find_open_slots(session, clinic.clinician_id, NOW, preference=friday_afternoon)
    assert starts == [local(5, 12), local(5, 14), local(5, 15)]


def test_find_open_slots_honours_modality(session: Session, clinic: Clinic) -> None:
    after_five = SlotPreference(not_before=dt.time(17))
    video = store.find_open_slots(
        session, clinic.clinician_id, NOW, preference=after_five, modality=Modality.TELEHEALTH, limit=2
    )
    assert video == [local(2, 17), local(2, 18)]
    assert (
        store.find_open_slots(session, clinic.clinician_id, NOW, preference=after_five, modality=Modality.IN_PERSON)
        == []
    )


def test_find_open_slots_honours_exceptions_and_horizon(session: Session, clinic: Clinic) -> None:
    session.add(AvailabilityException(clinician_id=clinic.clinician_id, on_date=dt.date(2026, 6, 1)))
    session.commit()
    assert store.find_open_slots(session, clinic.clinician_id, NOW)[0] == local(2, 9)
    assert store.find_open_slots(session, clinic.clinician_id, NOW, horizon_days=1) == []


def test_rescheduling_client_is_not_blocked_by_their_own_session(session: Session, clinic: Clinic) -> None:
    own = Appointment(
        practice_id=clinic.practice_id,
        client_id=clinic.client_ids[0],
        clinician_id=clinic.clinician_id,
        starts_at=local(1, 10, 30),
        ends_at=local(1, 11, 20),
        modality=Modality.TELEHEALTH,
    )
    session.add(own)
    session.commit()
    assert store.find_open_slots(session, clinic.clinician_id, NOW)[:2] == [local(1, 12), local(1, 13)]
    assert store.find_open_slots(session, clinic.clinician_id, NOW, exclude_appointment_id=own.id)[:2] == [
        local(1, 10),
        local(1, 11),
    ]


def test_the_excluded_session_own_time_is_never_offered(session: Session, clinic: Clinic) -> None:
    own = book(session, clinic, local(1, 10))
    starts = store.find_open_slots(session, clinic.clinician_id, NOW, exclude_appointment_id=own.id)
    assert starts == [local(1, 11), local(1, 12), local(1, 13)]


def test_book_telehealth(session: Session, clinic: Clinic) -> None:
    appointment = book(session, clinic, local(1, 10).astimezone(NY))
    assert appointment.status is AppointmentStatus.BOOKED
    assert appointment.starts_at == local(1, 10)
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=50)
    assert appointment.location is None
    assert re.fullmatch(r"https://zoom\.us/j/[1-9]\d{10}\?pwd=[\w-]+", appointment.telehealth_url)
    other = book(session, clinic, local(1, 11))
    assert other.telehealth_url != appointment.telehealth_url
    session.expire_all()
    stored = session.get(Appointment, appointment.id)
    assert stored.starts_at == local(1, 10) and stored.starts_at.tzinfo is not None
    assert audit_actions(session) == ["appointment_booked", "appointment_booked"]


def test_book_in_person_uses_the_office(session: Session, clinic: Clinic) -> None:
    appointment = book(session, clinic, local(1, 10), modality=Modality.IN_PERSON)
    assert appointment.location == clinic.office
    assert appointment.telehealth_url is None


@pytest.mark.parametrize(
    ("start", "modality"),
    [
        (local(1, 9), Modality.TELEHEALTH),  # inside the two-hour lead time
        (local(1, 7), Modality.TELEHEALTH),  # in the past
        (local(1, 10, 30), Modality.TELEHEALTH),  # not on the hour
        (local(6, 10), Modality.TELEHEALTH),  # Saturday: no availability
        (local(1, 16, 30), Modality.TELEHEALTH),  # would end after the window
        (local(2, 17), Modality.IN_PERSON),  # the Tuesday evening window is video only
    ],
)
def test_book_refuses_times_that_are_not_open(
    session: Session, clinic: Clinic, start: dt.datetime, modality: Modality
) -> None:
    with pytest.raises(store.SlotUnavailable):
        book(session, clinic, start, modality=modality)
    assert count(session, Appointment) == 0


def test_book_refuses_a_taken_slot(session: Session, clinic: Clinic) -> None:
    book(session, clinic, local(1, 10))
    with pytest.raises(store.SlotUnavailable):
        book(session, clinic, local(1, 10), client=1)
    assert count(session, Appointment) == 1


def test_database_index_refuses_a_second_booking_the_check_missed(session: Session, clinic: Clinic) -> None:
    # The index, not the read-then-write check, is what settles races; prove it stands alone.
    book(session, clinic, local(1, 10))
    session.add(
        Appointment(
            practice_id=clinic.practice_id,
            client_id=clinic.client_ids[1],
            clinician_id=clinic.clinician_id,
            starts_at=local(1, 10),
            ends_at=local(1, 10, 50),
            modality=Modality.TELEHEALTH,
        )
    )
    with pytest.raises(Exception, match="uq_appointment_clinician_slot_booked|UNIQUE"):
        session.flush()


def test_naive_datetimes_are_rejected(session: Session, clinic: Clinic) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.book(
            session,
            client_id=clinic.client_ids[0],
            clinician_id=clinic.clinician_id,
            starts_at=dt.datetime(2026, 6, 1, 14),
            modality=Modality.TELEHEALTH,
            now=NOW,
        )
    with pytest.raises(ValueError, match="timezone-aware"):
        store.find_open_slots(session, clinic.clinician_id, dt.datetime(2026, 6, 1, 12))
    session.add(
        Appointment(
            practice_id=clinic.practice_id,
            client_id=clinic.client_ids[0],
            clinician_id=clinic.clinician_id,
            starts_at=dt.datetime(2026, 6, 1, 14),
            ends_at=dt.datetime(2026, 6, 1, 15),
            modality=Modality.TELEHEALTH,
        )
    )
    with pytest.raises(StatementError, match="naive datetimes are not accepted"):
        session.flush()


def test_reschedule_moves_the_session_and_frees_the_old_time(session: Session, clinic: Clinic) -> None:
    old = book(session, clinic, local(3, 10), modality=Modality.IN_PERSON)
    result = store.reschedule(session, appointment_id=old.id, new_start=local(4, 14), now=NOW, actor="client:1")
    session.commit()
    assert result.old.id == old.id and result.old.status is AppointmentStatus.RESCHEDULED
    assert result.old.status_changed_at == NOW
    new = result.new
    assert (new.status, new.replaces_id, new.starts_at) == (AppointmentStatus.BOOKED, old.id, local(4, 14))
    assert (new.clinician_id, new.modality, new.location) == (old.clinician_id, Modality.IN_PERSON, clinic.office)
    assert not result.quote.inside_window and result.quote.fee_cents == 0
    assert store.next_appointment(session, clinic.client_ids[0], NOW).id == new.id
    wednesday = SlotPreference(earliest_date=dt.date(2026, 6, 3), latest_date=dt.date(2026, 6, 3))
    assert store.find_open_slots(session, clinic.clinician_id, NOW, preference=wednesday)[1] == local(3, 10)
    assert audit_actions(session)[-2:] == ["appointment_booked", "appointment_rescheduled"]


def test_late_reschedule_is_quoted_but_not_charged(session: Session, clinic: Clinic) -> None:
    old = book(session, clinic, local(1, 15))
    result = store.reschedule(session, appointment_id=old.id, new_start=local(3, 15), now=NOW, actor="client:1")
    session.commit()
    assert result.quote.inside_window and result.quote.fee_cents == 7500
    assert result.old.fee_cents is None and result.new.fee_cents is None


def test_reschedule_into_a_taken_slot_changes_nothing(session: Session, clinic: Clinic) -> None:
    old = book(session, clinic, local(3, 10))
    book(session, clinic, local(4, 10), client=1)
    events_before = count(session, AuditEvent)
    with pytest.raises(store.SlotUnavailable):
        store.reschedule(session, appointment_id=old.id, new_start=local(4, 10), now=NOW, actor="client:1")
    session.commit()
    session.expire_all()
    assert session.get(Appointment, old.id).status is AppointmentStatus.BOOKED
    assert count(session, Appointment) == 2
    assert count(session, AuditEvent) == events_before


def test_reschedule_to_the_same_time_is_refused(session: Session, clinic: Clinic) -> None:
    old = book(session, clinic, local(3, 10))
    # Its own reason: the time is not taken by anyone else, it is already this session's.
    with pytest.raises(store.AlreadyAtThatTime):
        store.reschedule(session, appointment_id=old.id, new_start=local(3, 10), now=NOW, actor="client:1")


def test_cancel_with_notice_is_free(session: Session, clinic: Clinic) -> None:
    appointment = book(session, clinic, local(3, 10))
    result = store.cancel(session, appointment_id=appointment.id, now=NOW, actor="client:1")
    session.commit()
    assert result.appointment.status is AppointmentStatus.CANCELLED
    assert result.appointment.fee_cents is None
    assert result.appointment.status_changed_at == NOW
    assert not result.quote.inside_window
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor, event.subject_id) == ("appointment_cancelled", "client:1", str(appointment.id))


def test_cancel_inside_the_window_is_late_with_the_fee(session: Session, clinic: Clinic) -> None:
    appointment = book(session, clinic, local(2, 10))  # 26 hours away at booking time
    later = local(1, 12)  # 22 hours before the session
    result = store.cancel(session, appointment_id=appointment.id, now=later, actor="rep:3")
    session.commit()
    session.expire_all()
    stored = session.get(Appointment, appointment.id)
    assert stored.status is AppointmentStatus.LATE_CANCELLED
    assert stored.fee_cents == 7500
    assert stored.status_changed_at == later
    assert result.quote.inside_window and result.quote.hours_notice == pytest.approx(22)
    assert "$75.00 late-cancellation fee applies" in result.quote.describe("cancel")


def test_only_booked_future_sessions_can_change(session: Session, clinic: Clinic) -> None:
    appointment = book(session, clinic, local(2, 10))
    store.cancel(session, appointment_id=appointment.id, now=NOW, actor="client:1")
    session.commit()
    with pytest.raises(store.NotChangeable):
        store.cancel(session, appointment_id=appointment.id, now=NOW, actor="client:1")
    with pytest.raises(store.NotChangeable):
        store.reschedule(session, appointment_id=appointment.id, new_start=local(3, 10), now=NOW, actor="client:1")
    started = book(session, clinic, local(2, 11))
    with pytest.raises(store.NotChangeable):
        store.cancel(session, appointment_id=started.id, now=local(2, 11, 5), actor="client:1")
    with pytest.raises(store.AppointmentNotFound):
        store.cancel(session, appointment_id=999_999, now=NOW, actor="client:1")
    assert issubclass(store.NotChangeable, store.AppointmentError)


def test_the_callers_rollback_undoes_a_booking(session: Session, clinic: Clinic) -> None:
    # On SQLite this holds only because the engine takes over pysqlite's transaction control.
    store.book(
        session,
        client_id=clinic.client_ids[0],
        clinician_id=clinic.clinician_id,
        starts_at=local(1, 10),
        modality=Modality.TELEHEALTH,
        now=NOW,
    )
    session.rollback()
    assert count(session, Appointment) == 0
