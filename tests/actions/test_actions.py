"""Custom actions with real trackers and a real (temporary) store."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from actions.account import BillingLink, PortalHelp
from actions.appointment_info import AppointmentInfo, TelehealthLink
from actions.handoff import ClarifyOrHandoff, Crisis, HandoffBilling
from actions.scheduling import (
    ChooseOption,
    ConfirmPending,
    DeclinePending,
    OfferReschedule,
    StartCancel,
)
from actions.verification import VerifyIdentity
from assistant.store.engine import session_scope
from assistant.store.models import (
    AccessLink,
    Appointment,
    AppointmentStatus,
    Channel,
    Client,
    Conversation,
    ConversationState,
    HandoffReason,
    HandoffTicket,
)
from assistant.wording import formats
from assistant.wording.catalog import text
from tests.support.actions import (
    has_event,
    make_conversation,
    run_action,
    slot_events,
    tracker,
)

SERVICE_TROUBLE = text("service.trouble")

pytestmark = pytest.mark.usefixtures("database_url")

NY = ZoneInfo("America/New_York")  # the test practice's zone


def _texts(messages: list[dict]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


def test_private_actions_ask_for_identity_first(database_url: str) -> None:
    conversation = make_conversation(database_url)
    for action in (OfferReschedule(), StartCancel(), AppointmentInfo(), TelehealthLink(), BillingLink(), PortalHelp()):
        messages, events = run_action(action, tracker(conversation, "hi", "appointment_info"))
        assert messages == []  # nothing disclosed
        assert has_event(events, "followup", "verify_form")
        assert slot_events(events)["resume_action"] == action.name()


def test_reschedule_offer_choose_confirm_changes_the_store(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    messages, events = run_action(
        OfferReschedule(), tracker(conversation, "need to reschedule", "reschedule_appointment")
    )
    slots = slot_events(events)
    assert slots["pending_task"] == "reschedule" and len(slots["offered_slots"]) == 3
    assert [b["payload"] for b in messages[0]["buttons"]] == [f'/choose_option{{"option":"{n}"}}' for n in (1, 2, 3)]
    assert "Dr. Maya Patel" in _texts(messages)  # web chat may name the clinician
    # Each offered time says its zone, on its button and on its numbered line alike.
    labels = [formats.day_time_and_zone(dt.datetime.fromisoformat(start), NY) for start in slots["offered_slots"]]
    assert all(label.endswith(" ET") for label in labels), labels
    assert [b["title"] for b in messages[0]["buttons"]] == labels
    assert "\n".join(f"{n}. {label}" for n, label in enumerate(labels, 1)) in _texts(messages)

    messages, events = run_action(ChooseOption(), tracker(conversation, "2", "choose_option", slots=slots))
    slots |= slot_events(events)
    assert slots["selected_slot"] == slots["offered_slots"][1]
    with session_scope(database_url) as session:
        old_time = session.get_one(Appointment, int(slots["target_appointment_id"])).starts_at
    assert _texts(messages) == f"Move your session from {formats.day_time_and_zone(old_time, NY)} to {labels[1]}?"

    messages, events = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    assert "Done!" in _texts(messages)
    assert slot_events(events)["pending_task"] is None
    with session_scope(database_url) as session:
        old = session.get(Appointment, int(slots["target_appointment_id"]))
        assert old.status is AppointmentStatus.RESCHEDULED
        new = session.scalars(select(Appointment).where(Appointment.replaces_id == old.id)).one()
        assert new.starts_at == dt.datetime.fromisoformat(slots["selected_slot"])


def test_sms_replies_leave_out_the_clinician_name(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan", channel=Channel.SMS)
    messages, _ = run_action(AppointmentInfo(), tracker(conversation, "when is my appt", "appointment_info"))
    assert "Your next session is" in _texts(messages) and "Patel" not in _texts(messages)


def test_choose_option_out_of_range_asks_again(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    _, events = run_action(OfferReschedule(), tracker(conversation, "reschedule", "reschedule_appointment"))
    slots = slot_events(events)
    messages, events = run_action(ChooseOption(), tracker(conversation, "7", "choose_option", slots=slots))
    assert "number from 1 to 3" in _texts(messages) and not slot_events(events)


def test_decline_keeps_the_session(database_url: str) -> None:
    conversation = make_conversation(database_url, "Priya")
    _, events = run_action(StartCancel(), tracker(conversation, "cancel", "cancel_appointment"))
    slots = slot_events(events)
    messages, _ = run_action(DeclinePending(), tracker(conversation, "no", "deny", slots=slots))
    assert "stays as it is" in _texts(messages)
    with session_scope(database_url) as session:
        assert session.get(Appointment, int(slots["target_appointment_id"])).status is AppointmentStatus.BOOKED


def test_cancel_outside_window_has_no_fee(database_url: str) -> None:
    conversation = make_conversation(database_url, "Chris")
    messages, events = run_action(StartCancel(), tracker(conversation, "cancel my appt", "cancel_appointment"))
    assert "$" not in _texts(messages)
    slots = slot_events(events)
    run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    with session_scope(database_url) as session:
        appointment = session.get(Appointment, int(slots["target_appointment_id"]))
        assert appointment.status is AppointmentStatus.CANCELLED and appointment.fee_cents is None


def test_links_are_single_use_records_with_only_a_hash(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    messages, _ = run_action(BillingLink(), tracker(conversation, "update card", "billing_update"))
    text = _texts(messages)
    token = text.split("/billing/update/")[1].split()[0]
    assert "4242" in text  # card on file, last four only
    with session_scope(database_url) as session:
        (link,) = session.scalars(select(AccessLink)).all()
        assert token not in link.token_hash and link.expires_at > link.created_at


def test_portal_help_second_time_hands_off(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    _, events = run_action(PortalHelp(), tracker(conversation, "cant log in", "portal_login_help"))
    slots = slot_events(events)
    run_action(PortalHelp(), tracker(conversation, "still cant", "portal_login_help", slots=slots))
    with session_scope(database_url) as session:
        assert session.get(Conversation, conversation).state is ConversationState.HANDOFF_PENDING
        (ticket,) = session.scalars(select(HandoffTicket)).all()
        assert ticket.reason is HandoffReason.PORTAL_HELP


def test_crisis_reading_asks_if_the_client_is_safe_with_988_and_911_first(database_url: str) -> None:
    # The model read a crisis the rule screen cleared (docs/crisis.md): a check-in, no ticket yet.
    conversation = make_conversation(database_url)
    reading = tracker(conversation, "...", "crisis", confidence=0.55)
    reading.latest_message["intent_ranking"] = [
        {"name": "crisis", "confidence": 0.55},
        {"name": "out_of_scope", "confidence": 0.2},
        {"name": "portal_login_help", "confidence": 0.15},
    ]
    messages, events = run_action(Crisis(), reading)
    assert _texts(messages) == text("crisis_check.ask")
    assert "988" in _texts(messages) and "911" in _texts(messages)
    assert has_event(events, "active_loop", None)
    with session_scope(database_url) as session:
        assert session.scalars(select(HandoffTicket)).all() == []
        row = session.get_one(Conversation, conversation)
        assert row.safety_check_pending and row.safety_check_resume == "portal_login_help"


def test_second_crisis_reading_after_an_unanswered_check_in_opens_urgent_ticket(database_url: str) -> None:
    conversation = make_conversation(database_url)
    run_action(Crisis(), tracker(conversation, "...", "crisis"))
    messages, events = run_action(Crisis(), tracker(conversation, "...", "crisis"))
    assert "988" in _texts(messages) and "911" in _texts(messages)
    assert has_event(events, "active_loop", None)
    with session_scope(database_url) as session:
        (ticket,) = session.scalars(select(HandoffTicket)).all()
        assert ticket.reason is HandoffReason.CRISIS and ticket.priority == 0
        assert not session.get_one(Conversation, conversation).safety_check_pending


def test_check_in_on_a_call_is_worded_for_the_ear(database_url: str) -> None:
    conversation = make_conversation(database_url, channel=Channel.VOICE)
    messages, _ = run_action(Crisis(), tracker(conversation, "...", "crisis"))
    assert _texts(messages) == text("voice.crisis_check.ask")


def test_billing_question_ticket_carries_context(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    run_action(
        HandoffBilling(),
        tracker(
            conversation,
            "why was i charged",
            "billing_question",
            slots={"pending_task": "reschedule", "offered_slots": ["x"]},
            confidence=0.81,
        ),
    )
    with session_scope(database_url) as session:
        (ticket,) = session.scalars(select(HandoffTicket)).all()
        assert ticket.reason is HandoffReason.BILLING and ticket.nlu_confidence == pytest.approx(0.81)
        assert ticket.context["pending_task"] == "reschedule"
        assert ticket.context["last_intent"] == "billing_question"


def test_clarify_once_then_hand_off(database_url: str) -> None:
    conversation = make_conversation(database_url)
    first = tracker(conversation, "blorp", "nlu_fallback", confidence=0.3)
    messages, _ = run_action(ClarifyOrHandoff(), first)
    assert any(b["payload"] == "/request_human" for b in messages[0]["buttons"])
    events = first.events + [
        {"event": "bot", "text": "?"},
        {"event": "user", "text": "zzz", "parse_data": {"intent": {"name": "nlu_fallback"}}},
    ]
    second = tracker(conversation, "zzz", "nlu_fallback", events=events, confidence=0.2)
    run_action(ClarifyOrHandoff(), second)
    with session_scope(database_url) as session:
        assert session.get(Conversation, conversation).state is ConversationState.HANDOFF_PENDING


def test_verify_identity_resumes_the_task_or_counts_failures(database_url: str) -> None:
    conversation = make_conversation(database_url)
    slots = {"full_name": "jordan LEE", "date_of_birth": "1990-04-12", "resume_action": "action_appointment_info"}
    messages, events = run_action(VerifyIdentity(), tracker(conversation, "04/12/1990", "inform", slots=slots))
    assert "you're verified" in _texts(messages)
    # The interrupted task runs in the same turn (a FollowupAction left the rule policy with
    # no rule for what came next: it predicted its fallback until Rasa's circuit breaker).
    assert "Your next session is" in _texts(messages) and not has_event(events, "followup", "action_appointment_info")
    with session_scope(database_url) as session:
        assert session.get(Conversation, conversation).client_id is not None

    stranger = make_conversation(database_url)
    wrong = {"full_name": "Jordan Lee", "date_of_birth": "1991-01-01"}
    for _ in range(3):
        messages, events = run_action(VerifyIdentity(), tracker(stranger, "x", "inform", slots=wrong))
    assert "couldn't match" in _texts(messages)
    with session_scope(database_url) as session:
        assert session.get(Conversation, stranger).state is ConversationState.HANDOFF_PENDING
        assert session.get(Conversation, stranger).client_id is None


def test_a_broken_store_fails_safe_with_an_honest_reply(database_url: str) -> None:
    messages, events = run_action(AppointmentInfo(), tracker("no-such-conversation", "hi", "appointment_info"))
    assert _texts(messages) == SERVICE_TROUBLE
    assert has_event(events, "active_loop", None)


def test_reschedule_inside_the_window_quotes_the_policy(database_url: str) -> None:
    conversation = make_conversation(database_url, "Priya")  # her session is less than 24 h away
    messages, events = run_action(OfferReschedule(), tracker(conversation, "can i move it", "reschedule_appointment"))
    text = _texts(messages)
    assert "24 hours" in text and "$75.00" in text
    assert slot_events(events)["pending_task"] == "reschedule"


def test_booking_a_new_client_session_end_to_end(database_url: str) -> None:
    from actions.scheduling import OfferBooking

    conversation = make_conversation(database_url, "Avery")  # a client with no appointment
    messages, events = run_action(OfferBooking(), tracker(conversation, "i want to book a session", "book_appointment"))
    slots = slot_events(events)
    assert slots["pending_task"] == "book" and slots["offered_slots"]
    _, events = run_action(ChooseOption(), tracker(conversation, "1", "choose_option", slots=slots))
    slots |= slot_events(events)
    messages, _ = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    assert "You're booked" in _texts(messages)
    with session_scope(database_url) as session:
        avery = session.scalars(select(Client).where(Client.first_name == "Avery")).one()
        booked = session.scalars(select(Appointment).where(Appointment.client_id == avery.id)).one()
        assert booked.status is AppointmentStatus.BOOKED
        assert booked.clinician_id == avery.primary_clinician_id
        assert booked.starts_at == dt.datetime.fromisoformat(slots["selected_slot"])
