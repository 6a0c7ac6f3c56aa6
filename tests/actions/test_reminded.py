"""Natural replies to an outreach text, through the real actions: the reminded session is the
one meant ("yes see you then", "can we do later", "i cant make it"), a moved or cancelled one
is named honestly, "yes" to a no-show follow-up offers real times, and a question the bot
asked before the text went out no longer counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from actions.scheduling import ConfirmPending, OfferForPreference, OfferReschedule, StartCancel
from assistant.services import appointments
from assistant.store.engine import session_scope
from assistant.store.models import Channel, Client, Conversation, OutreachKind, utcnow
from tests.support.actions import run_action, slot_events, tracker
from tests.support.clients import CHRIS, JORDAN, OwnClient, create_client
from tests.support.outreach_jobs import appointment, next_session, send_outreach


def sms_conversation(database_url: str, own: OwnClient) -> str:
    with session_scope(database_url) as session:
        practice_id = session.get_one(Client, own.id).practice_id
        conversation = Conversation(practice_id=practice_id, channel=Channel.SMS, client_id=own.id, address=own.mobile)
        session.add(conversation)
        session.flush()
        return conversation.id


def later_session(database_url: str, own: OwnClient) -> int:
    """A second booked session, a week after the first."""
    first = next_session(database_url, own.id)
    with session_scope(database_url) as session:
        (start,) = appointments.find_open_slots(
            session, first.clinician_id, first.starts_at + dt.timedelta(days=7), limit=1, modality=first.modality
        )
        return appointments.book(
            session,
            client_id=own.id,
            clinician_id=first.clinician_id,
            starts_at=start,
            modality=first.modality,
            now=utcnow(),
        ).id


def said(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message["text"] for message in messages)


def test_yes_to_a_reminder_confirms_it(database_url: str) -> None:
    own = create_client(database_url, JORDAN)
    session_id = next_session(database_url, own.id).id
    send_outreach(database_url, own.id, session_id)
    messages, _ = run_action(ConfirmPending(), tracker(sms_conversation(database_url, own), "yes", "affirm"))
    assert said(messages).startswith("You're confirmed for ")
    assert appointment(database_url, session_id).confirmed_at is not None


def test_a_question_asked_before_the_reminder_is_stale(database_url: str) -> None:
    own = create_client(database_url, JORDAN)
    session_id = next_session(database_url, own.id).id
    send_outreach(database_url, own.id, session_id)
    asked_before = (utcnow() - dt.timedelta(days=3)).timestamp()
    current = tracker(
        sms_conversation(database_url, own),
        "yes",
        "affirm",
        slots={"pending_task": "book_offer"},
        events=[{"event": "slot", "name": "pending_task", "value": "book_offer", "timestamp": asked_before}],
    )
    messages, _ = run_action(ConfirmPending(), current)
    assert said(messages).startswith("You're confirmed for ")  # not "here are open times"


def test_a_question_asked_after_the_reminder_still_counts(database_url: str) -> None:
    own = create_client(database_url, JORDAN)
    session_id = next_session(database_url, own.id).id
    send_outreach(database_url, own.id, session_id)
    current = tracker(
        sms_conversation(database_url, own),
        "yes",
        "affirm",
        slots={"pending_task": "book_offer"},
        events=[{"event": "slot", "name": "pending_task", "value": "book_offer", "timestamp": utcnow().timestamp()}],
    )
    messages, events = run_action(ConfirmPending(), current)
    assert slot_events(events)["pending_task"] == "book"
    assert appointment(database_url, session_id).confirmed_at is None


def test_yes_to_a_no_show_follow_up_offers_real_times(database_url: str) -> None:
    own = create_client(database_url, CHRIS)
    send_outreach(database_url, own.id, None, kind=OutreachKind.NO_SHOW)
    messages, events = run_action(ConfirmPending(), tracker(sms_conversation(database_url, own), "yes", "affirm"))
    slots = slot_events(events)
    assert slots["pending_task"] == "book" and len(slots["offered_slots"]) >= 1
    assert "1. " in said(messages)


def test_reschedule_means_the_reminded_session_not_the_next_one(database_url: str) -> None:
    own = create_client(database_url, JORDAN)
    reminded_id = later_session(database_url, own)
    send_outreach(database_url, own.id, reminded_id)
    conversation = sms_conversation(database_url, own)
    for action, text, intent in (
        (OfferReschedule(), "can we do later", "reschedule_appointment"),
        (OfferForPreference(), "anything later in the week", "inform_time_preference"),
    ):
        _, events = run_action(action, tracker(conversation, text, intent))
        assert slot_events(events)["target_appointment_id"] == str(reminded_id), action.name()
    _, events = run_action(StartCancel(), tracker(conversation, "i cant make it", "cancel_appointment"))
    assert slot_events(events)["target_appointment_id"] == str(reminded_id)


def test_cancelling_a_reminded_session_that_moved_names_its_new_time(database_url: str) -> None:
    own = create_client(database_url, CHRIS)
    old = next_session(database_url, own.id)
    send_outreach(database_url, own.id, old.id)
    now = utcnow()
    with session_scope(database_url) as session:
        (start,) = appointments.find_open_slots(
            session, old.clinician_id, now, limit=1, modality=old.modality, exclude_appointment_id=old.id
        )
        new_id = appointments.reschedule(session, appointment_id=old.id, new_start=start, now=now, actor="rep:1").new.id
    messages, events = run_action(
        StartCancel(), tracker(sms_conversation(database_url, own), "i cant make it", "cancel_appointment")
    )
    assert said(messages).startswith("That session was moved to ")
    assert slot_events(events)["target_appointment_id"] == str(new_id)


def test_rescheduling_a_reminded_session_that_was_cancelled_offers_a_booking(database_url: str) -> None:
    own = create_client(database_url, CHRIS)
    session_id = next_session(database_url, own.id).id
    send_outreach(database_url, own.id, session_id)
    with session_scope(database_url) as session:
        appointments.cancel(session, appointment_id=session_id, now=utcnow(), actor="rep:1")
    conversation = sms_conversation(database_url, own)
    messages, events = run_action(OfferReschedule(), tracker(conversation, "can we do later", "reschedule_appointment"))
    assert said(messages).startswith("That session was cancelled. Would you like to book a new time?")
    assert slot_events(events)["pending_task"] == "book_offer"
    messages, events = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm"))
    assert slot_events(events)["pending_task"] == "book"  # yes: real times to book
