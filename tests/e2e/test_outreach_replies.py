"""Answers to outreach texts with the real stack (trained model, actions, gateway, SMS path):
a reminder is confirmed with C, "can we do later" reschedules the reminded session, and
"yes" to a no-show follow-up books one of the real open times offered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import Appointment, AppointmentStatus, Modality, OutreachKind, utcnow
from tests.support.clients import CHRIS
from tests.support.outreach_jobs import appointment, job, next_session, send_outreach
from tests.support.stack import RunningStack
from tests.support.stack_sms import text


def test_a_reminder_is_confirmed_with_c(stack: RunningStack, new_client) -> None:
    own = new_client()  # like Jordan: a video session in two days
    session_id = next_session(stack.database_url, own.id).id
    job_id = send_outreach(stack.database_url, own.id, session_id)
    reply = text(stack, own.mobile, "C")
    assert reply.startswith("You're confirmed for ") and reply.endswith("See you then!")
    assert appointment(stack.database_url, session_id).confirmed_at is not None
    assert job(stack.database_url, job_id).replied_at is not None


def test_can_we_do_later_reschedules_the_reminded_session(stack: RunningStack, new_client) -> None:
    own = new_client(CHRIS)
    session_id = next_session(stack.database_url, own.id).id
    send_outreach(stack.database_url, own.id, session_id)
    offer = text(stack, own.mobile, "can we do later")
    assert "1. " in offer and "Reply with a number" in offer
    assert "Move your session" in text(stack, own.mobile, "1")
    assert "Done!" in text(stack, own.mobile, "yes")
    assert appointment(stack.database_url, session_id).status is AppointmentStatus.RESCHEDULED
    with session_scope(stack.database_url) as session:
        moved = session.scalars(select(Appointment).where(Appointment.replaces_id == session_id)).one()
        assert moved.status is AppointmentStatus.BOOKED


def test_yes_to_a_no_show_follow_up_books_a_real_time(stack: RunningStack, new_client) -> None:
    own = new_client(CHRIS)
    missed_id = _missed_session(stack.database_url, own.id)
    send_outreach(stack.database_url, own.id, missed_id, kind=OutreachKind.NO_SHOW)
    before = _booked_ids(stack.database_url, own.id)
    offer = text(stack, own.mobile, "yes")
    assert "1. " in offer and "Reply with a number" in offer
    assert "Book " in text(stack, own.mobile, "1")
    assert text(stack, own.mobile, "yes").startswith("You're booked: ")
    assert len(_booked_ids(stack.database_url, own.id) - before) == 1


def _booked_ids(database_url: str, client_id: int) -> set[int]:
    with session_scope(database_url) as session:
        return set(
            session.scalars(
                select(Appointment.id).where(
                    Appointment.client_id == client_id, Appointment.status == AppointmentStatus.BOOKED
                )
            )
        )


def _missed_session(database_url: str, client_id: int) -> int:
    """Yesterday's session, marked no-show (as a rep would in the console)."""
    upcoming = next_session(database_url, client_id)
    with session_scope(database_url) as session:
        start = utcnow().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=1)
        missed = Appointment(
            practice_id=upcoming.practice_id,
            client_id=client_id,
            clinician_id=upcoming.clinician_id,
            starts_at=start,
            ends_at=start + (upcoming.ends_at - upcoming.starts_at),
            modality=Modality.IN_PERSON,
            status=AppointmentStatus.NO_SHOW,
            status_changed_at=utcnow(),
            created_at=start - dt.timedelta(days=7),
        )
        session.add(missed)
        session.flush()
        return missed.id
