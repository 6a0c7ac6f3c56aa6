"""The actions' store work goes through one BotTurn per action run (assistant/services/bot_turn.py):
it is bound to the conversation's own client, and it is one unit of work."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa_sdk.events import EventType
from sqlalchemy import func, select

from actions.base import FrontDeskAction, Turn
from actions.scheduling import ConfirmPending, OfferBooking
from assistant.services.bot_turn_scope import open_bot_turn
from assistant.store.engine import session_scope
from assistant.store.models import (
    AccessLink,
    Appointment,
    AppointmentStatus,
    Client,
    HandoffReason,
    HandoffTicket,
    LinkPurpose,
    Modality,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
)
from assistant.wording.catalog import text
from tests.support.actions import make_conversation, run_action, tracker

pytestmark = pytest.mark.usefixtures("database_url")


def _said(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


def _booked_session_of(database_url: str, first_name: str) -> int:
    with session_scope(database_url) as session:
        return session.scalars(
            select(Appointment.id)
            .join(Client, Client.id == Appointment.client_id)
            .where(Client.first_name == first_name, Appointment.status == AppointmentStatus.BOOKED)
        ).first()


def _status(database_url: str, appointment_id: int) -> AppointmentStatus:
    with session_scope(database_url) as session:
        return session.get(Appointment, appointment_id).status


def _new_client_without_clinician(database_url: str) -> str:
    """A client of the demo practice with no clinician on file and no session ever."""
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).first()
        client = Client(
            practice_id=practice.id, first_name="Noor", last_name="Haddad", date_of_birth=dt.date(2000, 2, 2)
        )
        session.add(client)
        session.flush()
        return client.first_name


def test_another_clients_session_on_screen_is_not_cancelled(database_url: str) -> None:
    priyas = _booked_session_of(database_url, "Priya")
    conversation = make_conversation(database_url, "Jordan")
    slots = {"pending_task": "cancel", "target_appointment_id": str(priyas)}  # slots edited by hand
    messages, _ = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    assert _said(messages) == text("scheduling.cannot_cancel")
    assert _status(database_url, priyas) is AppointmentStatus.BOOKED


def test_another_clients_session_on_screen_is_not_moved(database_url: str) -> None:
    chriss = _booked_session_of(database_url, "Chris")
    conversation = make_conversation(database_url, "Jordan")
    slots = {
        "pending_task": "reschedule",
        "target_appointment_id": str(chriss),
        "selected_slot": "2030-01-07T15:00:00+00:00",
    }
    messages, _ = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    assert _said(messages) == text("scheduling.cannot_change")
    assert _status(database_url, chriss) is AppointmentStatus.BOOKED


def test_an_unverified_turn_reads_and_writes_nothing_private(database_url: str) -> None:
    conversation = make_conversation(database_url)  # nobody has proved who they are
    with open_bot_turn(conversation, request_id=None) as services:
        assert services.client is None
        with pytest.raises(PermissionError):
            services.next_appointment()
        with pytest.raises(PermissionError):
            services.issue_link(LinkPurpose.PORTAL_SIGN_IN, public_base_url="https://x.example", ttl_minutes=30)
        with pytest.raises(PermissionError):
            services.booking_defaults()
    with session_scope(database_url) as session:
        assert session.scalar(select(func.count()).select_from(AccessLink)) == 0


def test_booking_defaults_follow_the_clients_own_sessions(database_url: str) -> None:
    priya = make_conversation(database_url, "Priya")
    with open_bot_turn(priya, request_id=None) as services:
        defaults = services.booking_defaults()
        assert services.client is not None
        assert defaults.clinician_id == services.client.primary_clinician_id is not None
        assert defaults.modality is Modality.IN_PERSON  # the way her session is held, not the default

    newcomer = make_conversation(database_url, _new_client_without_clinician(database_url))
    with open_bot_turn(newcomer, request_id=None) as services:
        defaults = services.booking_defaults()
        assert defaults.clinician_id is None and defaults.modality is Modality.TELEHEALTH
    messages, _ = run_action(OfferBooking(), tracker(newcomer, "book a session", "book_appointment"))
    assert _said(messages) == text("scheduling.no_clinician")


class _IssuesALinkThenBreaks(FrontDeskAction):
    action_name = "action_test_breaks_halfway"

    def act(self, turn: Turn) -> list[EventType]:
        turn.services.issue_link(LinkPurpose.PORTAL_SIGN_IN, public_base_url="https://x.example", ttl_minutes=30)
        raise RuntimeError("the store went away halfway")


def test_a_failed_action_leaves_nothing_half_done_and_hands_over(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    messages, _ = run_action(_IssuesALinkThenBreaks(), tracker(conversation, "portal", "portal_login_help"))
    assert _said(messages) == text("service.trouble")
    with session_scope(database_url) as session:
        assert session.scalar(select(func.count()).select_from(AccessLink)) == 0  # rolled back
        (ticket,) = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation))
        assert ticket.reason is HandoffReason.REPEATED_FAILURE
        assert ticket.context == {"failed_action": "action_test_breaks_halfway"}


def test_a_move_re_plans_the_clients_reminders_at_once(database_url: str) -> None:
    jordan = make_conversation(database_url, "Jordan")
    original = _booked_session_of(database_url, "Jordan")
    with open_bot_turn(jordan, request_id=None) as services:
        old = services.booked_appointment(original)
        assert old is not None
        new_start = services.open_slots(
            old.clinician_id, limit=1, preference=None, modality=old.modality, exclude_appointment_id=old.id
        )[0]
        moved = services.reschedule(original, new_start)
    with session_scope(database_url) as session:
        jobs = session.scalars(select(OutreachJob).where(OutreachJob.client_id == moved.new.client_id)).all()
    for_new = [job for job in jobs if job.appointment_id == moved.new.id]
    assert {job.kind for job in for_new} >= {OutreachKind.REMINDER}
    assert not [j for j in jobs if j.appointment_id == original and j.state is OutreachState.PLANNED]
