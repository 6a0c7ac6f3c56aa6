"""Whole conversations through the web chat API against the real trained model and servers."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select

from assistant.services.appointments import find_open_slots, format_slot
from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Client,
    HandoffReason,
    HandoffTicket,
    Message,
    Modality,
    utcnow,
)
from tests.support.clients import CHRIS, PRIYA

NY = ZoneInfo("America/New_York")
# Each test that needs a client makes its own (`new_client`, shaped like the demo's Jordan
# unless told): rescheduling, cancelling or failing checks must not change what other tests see.


def _upcoming(session, client: Client) -> list[Appointment]:
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.client_id == client.id,
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.starts_at > utcnow(),
            )
            .order_by(Appointment.starts_at)
        )
    )


def _tickets(session, conversation_id: str) -> list[HandoffTicket]:
    return list(session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id)))


def _offered_times(replies: list[dict]) -> list[str]:
    return [
        button["title"]
        for reply in replies
        for button in reply.get("buttons", [])
        if button["payload"].startswith("/choose_option")
    ]


def test_health_reports_every_part_ready(http: httpx.Client) -> None:
    response = http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"gateway": "ok", "database": "ok", "rasa": "ok", "action_server": "ok"}


def test_reschedule_to_completion_moves_the_session_and_frees_the_old_slot(stack, open_chat, new_client) -> None:
    own = new_client()
    chat = open_chat(*own.identity)
    assert chat.verified
    with session_scope(stack.database_url) as session:
        jordan = session.get(Client, own.id)
        original = _upcoming(session, jordan)[0]
        original_id, original_start = original.id, original.starts_at
        clinician_id = original.clinician_id

    replies = chat.send("hey i need to reschedule my appt")
    options = _offered_times(replies)
    assert 1 <= len(options) <= 3, replies
    text = "\n".join(r["text"] for r in replies)
    assert "1." in text and "Reply with a number" in text

    confirm = chat.say("2" if len(options) >= 2 else "1")
    assert "?" in confirm and "Move your session" in confirm
    done = chat.say("yes")
    assert "Done!" in done

    with session_scope(stack.database_url) as session:
        old = session.get(Appointment, original_id)
        assert old.status is AppointmentStatus.RESCHEDULED
        new = session.scalars(select(Appointment).where(Appointment.replaces_id == original_id)).one()
        assert new.status is AppointmentStatus.BOOKED
        assert new.clinician_id == clinician_id and new.modality is old.modality
        chosen_title = options[1] if len(options) >= 2 else options[0]
        assert new.starts_at.astimezone(NY).strftime("%-I:%M %p") in chosen_title
        # The old time is open again for anyone.
        local_day = original_start.astimezone(NY)
        again = find_open_slots(session, clinician_id, utcnow(), limit=50, horizon_days=14)
        assert original_start in again, f"old slot {local_day} not free again"


def test_reschedule_honours_a_stated_preference(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    replies = chat.send("can i move my session to a friday afternoon")
    text = "\n".join(r["text"] for r in replies)
    options = _offered_times(replies)
    assert options, text
    for title in options:
        assert title.startswith("Fri") and title.endswith(" ET"), title  # each time says its zone
        assert f"{title}\n" in text or text.endswith(title), text  # the numbered list writes it the same way
        hour, meridiem = re.search(r"(\d{1,2}):\d\d (AM|PM)", title).groups()
        assert meridiem == "PM" and int(hour) in (12, 1, 2, 3, 4), title
    assert "Friday afternoon" in text
    assert "nothing has changed" in chat.say("no thanks")


def test_cancel_inside_window_quotes_fee_and_records_late_cancel(stack, open_chat, new_client) -> None:
    own = new_client(PRIYA)
    chat = open_chat(*own.identity)
    assert chat.verified
    quote = chat.say("i need to cancel my appointment")
    assert "$75.00" in quote and "24" in quote and "cancel it?" in quote
    with session_scope(stack.database_url) as session:
        target = _upcoming(session, session.get(Client, own.id))[0]
        assert target.starts_at - utcnow() < dt.timedelta(hours=24)
        target_id = target.id
    done = chat.say("yes")
    assert "cancelled" in done and "$75.00" in done
    assert "book a new time" in done  # retention: offer to rebook
    with session_scope(stack.database_url) as session:
        cancelled = session.get(Appointment, target_id)
        assert cancelled.status is AppointmentStatus.LATE_CANCELLED
        assert cancelled.fee_cents == 7500
    offers = chat.send("yes")
    assert _offered_times(offers), offers


def test_telehealth_link_is_the_sessions_own_link(stack, open_chat, new_client) -> None:
    own = new_client()
    chat = open_chat(*own.identity)
    reply = chat.say("whats the zoom link for my session")
    with session_scope(stack.database_url) as session:
        upcoming = _upcoming(session, session.get(Client, own.id))[0]
        assert upcoming.modality is Modality.TELEHEALTH
        assert upcoming.telehealth_url and upcoming.telehealth_url in reply


def test_appointment_info_for_in_person_session(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client(CHRIS).identity)
    reply = chat.say("when is my next appointment?")
    assert "in person" in reply
    link_reply = chat.say("can u send the video link")
    assert "in person" in link_reply and "no video link" in link_reply


def test_portal_help_sends_a_fresh_single_use_link_then_hands_off(stack, open_chat, http, new_client) -> None:
    chat = open_chat(*new_client().identity)
    reply = chat.say("i cant log into the portal")
    link = re.search(r"https?://\S+/portal/sign-in/\S+", reply)
    assert link, reply
    path = httpx.URL(link.group(0)).path
    assert http.get(path).status_code == 200
    assert http.get(path).status_code == 200  # opening it (a link preview) uses nothing
    assert http.post(path).status_code == 200  # "Continue" signs in
    assert http.get(path).status_code == 410  # single use
    chat.say("still locked out of the portal, it isnt working")
    assert chat.state == "handoff_pending"
    with session_scope(stack.database_url) as session:
        assert [t.reason for t in _tickets(session, chat.session_id)] == [HandoffReason.PORTAL_HELP]


def test_billing_link_updates_card_without_storing_the_number(stack, open_chat, http, new_client) -> None:
    own = new_client()
    chat = open_chat(*own.identity)
    reply = chat.say("my card expired, need to update my payment method")
    link = re.search(r"https?://\S+/billing/update/\S+", reply)
    assert link, reply
    path = httpx.URL(link.group(0)).path
    assert http.get(path).status_code == 200
    saved = http.post(path, data={"number": "5555 5555 5555 4444", "expiry": "11/29"})
    assert saved.status_code == 200 and "4444" in saved.text
    with session_scope(stack.database_url) as session:
        profile = session.get(Client, own.id).billing_profile
        assert (profile.card_brand, profile.card_last4, profile.exp_month, profile.exp_year) == (
            "Mastercard",
            "4444",
            11,
            2029,
        )


def test_card_number_in_chat_is_redacted_before_storage(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    reply = chat.say("here is my new card 4111 1111 1111 1111 exp 10/28")
    assert "removed the card number" in reply
    with session_scope(stack.database_url) as session:
        texts = session.scalars(select(Message.text).where(Message.conversation_id == chat.session_id)).all()
    assert texts and not any("4111" in text for text in texts)


def test_low_confidence_asks_once_then_hands_off(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    first = chat.send("ok so the thing")
    assert chat.state == "bot"
    assert any(b["payload"] == "/request_human" for r in first for b in r.get("buttons", []))
    chat.send("jjj kkk lll")
    assert chat.state == "handoff_pending"
    with session_scope(stack.database_url) as session:
        (ticket,) = _tickets(session, chat.session_id)
        assert ticket.reason is HandoffReason.LOW_CONFIDENCE
        assert ticket.top_intents and ticket.nlu_confidence is not None


def test_crisis_mid_reschedule_gets_988_911_and_urgent_handoff(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    assert _offered_times(chat.send("need to move my appointment"))
    reply = chat.say("honestly i just want to kill myself")
    assert "988" in reply and "911" in reply
    assert chat.state == "handoff_pending"
    with session_scope(stack.database_url) as session:
        (ticket,) = _tickets(session, chat.session_id)
        assert ticket.reason is HandoffReason.CRISIS and ticket.priority == 0
    # The bot does not resume the reschedule while a person owns the conversation.
    assert "Move your session" not in chat.say("2")


def test_unverified_client_is_asked_for_identity_before_anything_private(stack, open_chat, new_client) -> None:
    own = new_client()
    with session_scope(stack.database_url) as session:
        when = format_slot(_upcoming(session, session.get(Client, own.id))[0].starts_at, NY)
    chat = open_chat()
    assert not chat.verified
    ask = chat.say("when is my next appointment")
    # Nothing private before identity: not the session's time, not a date of birth.
    assert "full name" in ask and "PM" not in ask
    assert when not in ask and own.typed_date_of_birth not in ask
    assert "date of birth" in chat.say(own.name)
    answer = chat.say(own.typed_date_of_birth)
    assert "you're verified" in answer and "Your next session is" in answer
    assert when in answer  # the time withheld above is this session's, once verified


def test_three_failed_identity_checks_hand_off(stack, open_chat, new_client) -> None:
    own = new_client()
    chat = open_chat()
    chat.say("what time is my appointment")
    for _ in range(3):
        chat.say(own.name)
        last = chat.say(own.wrong_date_of_birth.strftime("%m/%d/%Y"))
    assert "couldn't match" in last
    assert chat.state == "handoff_pending"
    with session_scope(stack.database_url) as session:
        (ticket,) = _tickets(session, chat.session_id)
        assert ticket.reason is HandoffReason.VERIFICATION_FAILED


def test_clinical_questions_are_not_answered(stack, open_chat, new_client) -> None:
    chat = open_chat(*new_client().identity)
    reply = chat.say("should i double my zoloft dose before the session")
    assert "can't answer clinical or medication questions" in reply
    assert "mg" not in reply


def test_billing_question_and_request_for_a_person_hand_off_with_reason(stack, open_chat, new_client) -> None:
    own = new_client()
    billing = open_chat(*own.identity)
    billing.say("why was i charged twice this month??")
    human = open_chat(*own.identity)
    human.say("can i talk to a real person pls")
    with session_scope(stack.database_url) as session:
        assert [t.reason for t in _tickets(session, billing.session_id)] == [HandoffReason.BILLING]
        assert [t.reason for t in _tickets(session, human.session_id)] == [HandoffReason.REQUESTED]
    assert billing.state == human.state == "handoff_pending"
