"""Follow-ups and changes of mind (issue 12), action by action, with real trackers and store."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from actions.account import BillingLink, PortalHelp
from actions.appointment_info import AppointmentInfo, TelehealthLink
from actions.context import KeepCurrentTime, StillStuck, SwitchTaskDuringCheck
from actions.scheduling import ChooseOption, ConfirmPending, DeclinePending, OfferBooking, OfferReschedule, StartCancel
from actions.scheduling.other_times import OtherTimes
from assistant.store.engine import session_scope
from assistant.store.models import Appointment, AppointmentStatus, AuditEvent, Client, HandoffReason, HandoffTicket
from tests.support.actions import make_conversation, run_action, slot_events, tracker

pytestmark = pytest.mark.usefixtures("database_url")
NY = ZoneInfo("America/New_York")


def _texts(messages: list[dict]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


def _payloads(messages: list[dict]) -> list[str]:
    return [button["payload"] for message in messages for button in message.get("buttons", [])]


def _tickets(database_url: str, conversation: str) -> list[HandoffTicket]:
    with session_scope(database_url) as session:
        found = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation)).all()
        session.expunge_all()
        return list(found)


def test_still_stuck_after_portal_help_brings_a_person(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    _, events = run_action(PortalHelp(), tracker(conversation, "cant log in", "portal_login_help"))
    slots = slot_events(events)
    assert slots["last_link"] == "portal"
    messages, events = run_action(StillStuck(), tracker(conversation, "still doesnt work", "still_stuck", slots=slots))
    (ticket,) = _tickets(database_url, conversation)
    assert ticket.reason is HandoffReason.PORTAL_HELP
    assert "asked our front desk team" in _texts(messages)
    assert slot_events(events)["pending_task"] is None


def test_still_stuck_after_a_link_offers_it_again_or_a_person(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    for action, text, intent, again in (
        (TelehealthLink(), "zoom link?", "telehealth_link", "/telehealth_link"),
        (BillingLink(), "update my card", "billing_update", "/billing_update"),
    ):
        _, events = run_action(action, tracker(conversation, text, intent))
        slots = slot_events(events)
        messages, _ = run_action(StillStuck(), tracker(conversation, "that didnt work", "still_stuck", slots=slots))
        assert _payloads(messages) == [again, "/request_human"]
    assert _tickets(database_url, conversation) == []  # the client chooses; nothing opened yet


def test_still_stuck_with_nothing_given_asks_what(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    messages, _ = run_action(StillStuck(), tracker(conversation, "still not working", "still_stuck"))
    assert "what you were trying to do" in _texts(messages) and _payloads(messages) == ["/request_human"]


def test_keep_current_time_mid_reschedule_changes_nothing_and_clears_the_offer(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    _, events = run_action(OfferReschedule(), tracker(conversation, "move my appt", "reschedule_appointment"))
    slots = slot_events(events)
    messages, events = run_action(ChooseOption(), tracker(conversation, "2", "choose_option", slots=slots))
    slots |= slot_events(events)
    messages, events = run_action(
        KeepCurrentTime(), tracker(conversation, "wait keep the old time", "keep_current_time", slots=slots)
    )
    assert "stays on" in _texts(messages) and "Nothing has changed" in _texts(messages)
    slots |= slot_events(events)
    assert slots["pending_task"] is None and slots["offered_slots"] is None and slots["selected_slot"] is None
    messages, _ = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    assert "Which time" not in _texts(messages)
    with session_scope(database_url) as session:
        booked = session.scalars(select(Appointment).where(Appointment.replaces_id.is_not(None))).all()
        assert booked == []


def test_cancel_instead_mid_reschedule_cancels_after_yes(database_url: str) -> None:
    conversation = make_conversation(database_url, "Chris")
    _, events = run_action(OfferReschedule(), tracker(conversation, "move my appt", "reschedule_appointment"))
    slots = slot_events(events)
    target = int(slots["target_appointment_id"])
    messages, events = run_action(
        StartCancel(),
        tracker(conversation, "actually you know what, just cancel it", "cancel_appointment", slots=slots),
    )
    slots |= slot_events(events)
    assert slots["pending_task"] == "cancel" and slots["offered_slots"] is None
    messages, _ = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    assert "is cancelled" in _texts(messages)
    with session_scope(database_url) as session:
        assert session.get(Appointment, target).status is AppointmentStatus.CANCELLED


def test_a_pick_matching_two_times_asks_which_naming_only_those(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    _, events = run_action(OfferBooking(), tracker(conversation, "book me", "book_appointment"))
    slots = slot_events(events)
    # Two of the three times on one Friday (the slots say what is on screen).
    friday = dt.datetime.now(NY).date() + dt.timedelta(days=7 + (4 - dt.datetime.now(NY).weekday()) % 7)
    offered = [
        dt.datetime.combine(friday, dt.time(10), NY),
        dt.datetime.combine(friday, dt.time(15), NY),
        dt.datetime.combine(friday + dt.timedelta(days=3), dt.time(9), NY),
    ]
    slots["offered_slots"] = [start.isoformat() for start in offered]
    messages, events = run_action(ChooseOption(), tracker(conversation, "friday's", "choose_option", slots=slots))
    assert not slot_events(events)  # nothing picked yet
    day = f"{friday:%a %b} {friday.day}"  # "Fri Dec 11": each time names its zone
    assert _texts(messages) == f"Sorry, which one: {day}, 10:00 AM ET or {day}, 3:00 PM ET?"
    assert _payloads(messages) == ['/choose_option{"option":"1"}', '/choose_option{"option":"2"}']
    for said, number in (("the later one on friday", 2), ("the first one", 1), ("the monday one", 3)):
        _, events = run_action(ChooseOption(), tracker(conversation, said, "choose_option", slots=slots))
        assert slot_events(events)["selected_slot"] == slots["offered_slots"][number - 1], said


def test_none_of_these_offers_other_times_then_a_person(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    _, events = run_action(OfferBooking(), tracker(conversation, "book me", "book_appointment"))
    slots = slot_events(events)
    first = set(slots["offered_slots"])
    messages, events = run_action(
        OtherTimes(), tracker(conversation, "none of those work", "none_of_these", slots=slots)
    )
    slots |= slot_events(events)
    assert "other times" in _texts(messages)
    assert slots["offers_declined"] == 1 and not first & set(slots["offered_slots"])
    messages, events = run_action(OtherTimes(), tracker(conversation, "nope none", "none_of_these", slots=slots))
    (ticket,) = _tickets(database_url, conversation)
    assert ticket.reason is HandoffReason.REQUESTED and "find a time that works" in _texts(messages)


def test_is_that_by_video_mid_offer_answers_and_repeats_the_offer(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    _, events = run_action(OfferReschedule(), tracker(conversation, "move my appt", "reschedule_appointment"))
    slots = slot_events(events)
    messages, events = run_action(
        AppointmentInfo(), tracker(conversation, "is that by video?", "appointment_info", slots=slots)
    )
    assert "by video" in _texts(messages) and "Back to the times" in _texts(messages)
    assert _payloads(messages) == [f'/choose_option{{"option":"{n}"}}' for n in (1, 2, 3)]
    assert not slot_events(events)  # the offer is untouched: "2" still picks from it
    messages, events = run_action(ChooseOption(), tracker(conversation, "2", "choose_option", slots=slots))
    assert slot_events(events)["selected_slot"] == slots["offered_slots"][1]


def test_cancel_and_book_in_one_message_does_both_in_order(database_url: str) -> None:
    conversation = make_conversation(database_url, "Chris")
    said = "cancel my appt and book me next week"
    # The model may pick either intent: the cancel comes first either way.
    for action, intent in ((OfferBooking(), "book_appointment"), (StartCancel(), "cancel_appointment")):
        messages, events = run_action(action, tracker(conversation, said, intent))
        slots = slot_events(events)
        assert "cancel it?" in _texts(messages)
        assert slots["pending_task"] == "cancel" and slots["queued_request"] == "book me next week"
    cancelled = int(slots["target_appointment_id"])
    messages, events = run_action(ConfirmPending(), tracker(conversation, "yes", "affirm", slots=slots))
    said_back = _texts(messages)
    assert "is cancelled" in said_back and "Now, booking" in said_back and "next week" in said_back
    assert said_back.index("is cancelled") < said_back.index("Now, booking")
    slots |= slot_events(events)
    assert slots["pending_task"] == "book" and slots["queued_request"] is None and len(slots["offered_slots"]) >= 1
    with session_scope(database_url) as session:
        assert session.get(Appointment, cancelled).status is AppointmentStatus.CANCELLED


def test_declining_the_first_request_still_goes_on_with_the_second(database_url: str) -> None:
    conversation = make_conversation(database_url, "Chris")
    _, events = run_action(StartCancel(), tracker(conversation, "cancel it and book a new one", "cancel_appointment"))
    slots = slot_events(events)
    messages, events = run_action(DeclinePending(), tracker(conversation, "no", "deny", slots=slots))
    assert "stays as it is" in _texts(messages) and "Now, booking" in _texts(messages)
    assert slot_events(events)["pending_task"] == "book"


def test_the_video_link_first_then_the_move(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    said = "send me the zoom link then move my appt"
    messages, events = run_action(OfferReschedule(), tracker(conversation, said, "reschedule_appointment"))
    said_back = _texts(messages)
    assert said_back.index("zoom.us") < said_back.index("Now, moving") < said_back.index("Reply with a number")
    slots = slot_events(events)
    assert slots["last_link"] == "video" and slots["pending_task"] == "reschedule"


def test_a_new_task_during_the_identity_check_is_the_one_resumed(database_url: str) -> None:
    conversation = make_conversation(database_url)
    messages, events = run_action(
        SwitchTaskDuringCheck(), tracker(conversation, "actually just cancel it", "cancel_appointment")
    )
    assert slot_events(events)["resume_action"] == "action_start_cancel"
    assert "cancelling your session instead" in _texts(messages)


def test_keep_everything_during_the_identity_check_ends_it_and_changes_nothing(database_url: str) -> None:
    conversation = make_conversation(database_url)
    slots = {"resume_action": "action_offer_reschedule", "requested_slot": "full_name"}
    messages, events = run_action(
        KeepCurrentTime(), tracker(conversation, "never mind, keep my old time", "keep_current_time", slots=slots)
    )
    assert "nothing has changed" in _texts(messages)
    assert {"event": "active_loop", "name": None} in [
        {key: event.get(key) for key in ("event", "name")} for event in events
    ]
    assert slot_events(events)["resume_action"] is None and slot_events(events)["requested_slot"] is None


def test_a_video_link_given_is_recorded_for_the_audit_and_insights(database_url: str) -> None:
    conversation = make_conversation(database_url, "Jordan")
    messages, _ = run_action(TelehealthLink(), tracker(conversation, "whats my zoom link", "telehealth_link"))
    assert "zoom.us" in _texts(messages)
    with session_scope(database_url) as session:
        given = session.scalars(select(AuditEvent).where(AuditEvent.action == "video_link_sent")).all()
        jordan = session.scalars(select(Client).where(Client.first_name == "Jordan")).one()
        assert [(event.actor, event.subject_type, event.details) for event in given] == [
            (f"client:{jordan.id}", "appointment", {"channel": "web"})
        ]
        assert session.get_one(Appointment, int(given[0].subject_id)).client_id == jordan.id
