"""A "yes" that cannot be carried out explains itself (issue 14): the time was taken, or the
session was cancelled or moved by the practice, between the offer and the answer. The reply says
what happened, offers fresh times in the same message where there is something to schedule,
and always has a "Talk to a person" button."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from actions.scheduling import ChooseOption, ConfirmPending, OfferBooking, OfferReschedule
from assistant.services import appointments
from assistant.store.engine import session_scope
from assistant.store.models import Appointment, AppointmentStatus, Client, Conversation, Modality, utcnow
from tests.support.actions import make_conversation, run_action, slot_events, tracker
from tests.support.clients import JORDAN, create_client

PERSON = {"title": "Talk to a person", "payload": "/request_human"}


def _offered_and_chosen(conversation: str, offer: Any, said: str, intent: str) -> dict[str, Any]:
    _, events = run_action(offer, tracker(conversation, said, intent))
    slots = slot_events(events)
    _, events = run_action(ChooseOption(), tracker(conversation, "1", "choose_option", slots=slots))
    return slots | slot_events(events)


def _someone_else_books(database_url: str, starts_at: dt.datetime, clinician_id: int) -> None:
    other = create_client(database_url, JORDAN)
    with session_scope(database_url) as session:
        appointments.book(
            session,
            client_id=other.id,
            clinician_id=clinician_id,
            starts_at=starts_at,
            modality=Modality.TELEHEALTH,
            now=utcnow(),
        )


def _jordan_conversation(database_url: str) -> tuple[str, int]:
    own = create_client(database_url, JORDAN)
    conversation = make_conversation(database_url)
    with session_scope(database_url) as session:
        session.get_one(Conversation, conversation).client_id = own.id
    return conversation, own.id


def _texts(messages: list[dict[str, Any]]) -> str:
    return " ".join(message.get("text") or "" for message in messages)


def _buttons(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [button for message in messages for button in message.get("buttons") or []]


def test_a_time_taken_before_the_yes_is_explained_with_fresh_times_and_a_person(database_url: str) -> None:
    conversation, client_id = _jordan_conversation(database_url)
    slots = _offered_and_chosen(conversation, OfferReschedule(), "move my session", "reschedule_appointment")
    chosen = dt.datetime.fromisoformat(slots["selected_slot"])
    with session_scope(database_url) as session:
        target = session.get_one(Appointment, int(slots["target_appointment_id"]))
        clinician_id, kept_start = target.clinician_id, target.starts_at
    _someone_else_books(database_url, chosen, clinician_id)

    messages, events = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    said = _texts(messages)
    assert "was taken by someone else" in said and "nothing has changed" in said
    fresh = slot_events(events)
    assert fresh["pending_task"] == "reschedule" and len(fresh["offered_slots"]) == 3
    assert slots["selected_slot"] not in fresh["offered_slots"]
    assert "1. " in said and PERSON in _buttons(messages)  # the new times and a person, in one reply
    with session_scope(database_url) as session:
        unchanged = session.get_one(Appointment, int(slots["target_appointment_id"]))
        assert unchanged.status is AppointmentStatus.BOOKED and unchanged.starts_at == kept_start
        assert unchanged.client_id == client_id


def test_a_booking_whose_time_was_taken_offers_the_next_times(database_url: str) -> None:
    conversation, client_id = _jordan_conversation(database_url)
    slots = _offered_and_chosen(conversation, OfferBooking(), "book a session", "book_appointment")
    chosen = dt.datetime.fromisoformat(slots["selected_slot"])
    with session_scope(database_url) as session:
        clinician_id = session.scalar(select(Client.primary_clinician_id).where(Client.id == client_id))
    _someone_else_books(database_url, chosen, clinician_id)
    messages, events = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    assert "was taken by someone else" in _texts(messages)
    assert slot_events(events)["pending_task"] == "book" and PERSON in _buttons(messages)


def test_a_session_cancelled_since_the_offer_is_said_and_a_booking_offered(database_url: str) -> None:
    conversation, _ = _jordan_conversation(database_url)
    slots = _offered_and_chosen(conversation, OfferReschedule(), "move my session", "reschedule_appointment")
    with session_scope(database_url) as session:  # the practice cancels it meanwhile
        appointments.cancel(session, appointment_id=int(slots["target_appointment_id"]), now=utcnow(), actor="rep:1")
    messages, events = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    assert "was cancelled since I offered those times" in _texts(messages)
    assert slot_events(events)["pending_task"] == "book_offer"
    assert [b["title"] for b in _buttons(messages)] == ["Yes", "No", "Talk to a person"]


def test_a_session_moved_by_the_practice_is_said_and_its_new_time_offered_against(database_url: str) -> None:
    conversation, _ = _jordan_conversation(database_url)
    slots = _offered_and_chosen(conversation, OfferReschedule(), "move my session", "reschedule_appointment")
    moved_to = dt.datetime.fromisoformat(slots["offered_slots"][2])
    with session_scope(database_url) as session:  # a rep moves it to the third time offered
        moved = appointments.reschedule(
            session, appointment_id=int(slots["target_appointment_id"]), new_start=moved_to, now=utcnow(), actor="rep:1"
        )
        new_id = moved.new.id
    messages, events = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    said = _texts(messages)
    assert "was changed since I offered those times" in said and "Your next session is" in said
    fresh = slot_events(events)
    assert fresh["pending_task"] == "reschedule" and fresh["target_appointment_id"] == str(new_id)
    assert PERSON in _buttons(messages)


def test_a_yes_to_the_time_the_session_already_has_says_so(database_url: str) -> None:
    """The practice set the session to the chosen time meanwhile: no "taken by someone else",
    no change, and the offer is over."""
    conversation, _ = _jordan_conversation(database_url)
    slots = _offered_and_chosen(conversation, OfferReschedule(), "move my session", "reschedule_appointment")
    chosen = dt.datetime.fromisoformat(slots["selected_slot"])
    with session_scope(database_url) as session:
        session.get_one(Appointment, int(slots["target_appointment_id"])).starts_at = chosen
        rows_before = len(session.scalars(select(Appointment)).all())

    messages, events = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    said = _texts(messages)
    assert said.startswith("Your session is already at ") and said.endswith(", so there was nothing to change.")
    assert "taken" not in said
    assert slot_events(events).get("pending_task", "none") is None  # the offer is cleared
    with session_scope(database_url) as session:
        kept = session.get_one(Appointment, int(slots["target_appointment_id"]))
        assert kept.status is AppointmentStatus.BOOKED and kept.starts_at == chosen
        assert len(session.scalars(select(Appointment)).all()) == rows_before
