"""Starting a scheduling task: offer times to move the next session or book a new one, new
options for a stated preference, or ask the client to confirm a cancellation."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet

from actions.base import FrontDeskAction, Turn, button, clear_pending, yes_no_buttons
from actions.follow_ups import plan_request, register_starter, start
from actions.reminded import current_task, in_question_or_explain, reminded_and_changeable, reply_context
from actions.scheduling.offers import (
    BOOK,
    BOOK_OFFER,
    CANCEL,
    RESCHEDULE,
    offer_slots,
    policy_note,
    reoffer,
)
from assistant.scheduling.preferences import parse_preference
from assistant.wording.catalog import text


class OfferReschedule(FrontDeskAction):
    action_name = "action_offer_reschedule"
    reads_first = True  # usually an answer only: see FrontDeskAction.reads_first

    def act(self, turn: Turn) -> list[EventType]:
        return start_reschedule(turn, turn.text)


def start_reschedule(turn: Turn, said: str) -> list[EventType]:
    """Offer times to move the session in question (`said`: the words asking for it)."""
    plan = plan_request(RESCHEDULE, said)  # "move my tuesday and also send the zoom link"
    if plan.first_task is not None:
        return start(plan.first_task, turn, said)
    target = in_question_or_explain(turn)  # the reminded session, if this answers a reminder
    appointment = target.appointment
    if appointment is None:
        return [*clear_pending(), SlotSet("pending_task", BOOK_OFFER), *plan.events]
    preface = target.note or text("scheduling.current_session", session=turn.describe(appointment))
    note = policy_note(turn, appointment, "reschedule")
    if note:
        preface += f" {note}"
    preference = parse_preference(plan.text, turn.today)
    return [*offer_slots(turn, RESCHEDULE, preference, appointment=appointment, preface=preface), *plan.events]


class OfferBooking(FrontDeskAction):
    action_name = "action_offer_booking"
    reads_first = True  # usually an answer only: see FrontDeskAction.reads_first

    def act(self, turn: Turn) -> list[EventType]:
        return start_booking(turn, turn.text)


def start_booking(turn: Turn, said: str) -> list[EventType]:
    plan = plan_request(BOOK, said)  # "cancel thursday and book me next week": the cancel first
    if plan.first_task is not None:
        return start(plan.first_task, turn, said)
    return [*offer_slots(turn, BOOK, parse_preference(plan.text, turn.today)), *plan.events]


class OfferForPreference(FrontDeskAction):
    """ "Anything friday afternoon?" — new options for whatever is being scheduled."""

    action_name = "action_offer_for_preference"
    reads_first = True  # usually an answer only: see FrontDeskAction.reads_first

    def act(self, turn: Turn) -> list[EventType]:
        preference = parse_preference(turn.text, turn.today)
        context = reply_context(turn)
        task = current_task(turn, context)
        reminded = reminded_and_changeable(context)
        if task is None and reminded is not None:  # "can we do later?" to a reminder
            return offer_slots(turn, RESCHEDULE, preference, appointment=reminded)
        offered = reoffer(turn, task, preference)  # "anything in the evening?" in the middle of an offer
        if offered is not None:
            return offered
        turn.say(
            text("scheduling.move_or_book"),
            buttons=[
                button("button.move_my_session", "/reschedule_appointment"),
                button("button.book_new", "/book_appointment"),
            ],
        )
        return []


class StartCancel(FrontDeskAction):
    action_name = "action_start_cancel"

    def act(self, turn: Turn) -> list[EventType]:
        return start_cancel(turn, turn.text)


def start_cancel(turn: Turn, said: str) -> list[EventType]:
    """Ask to confirm cancelling the session in question."""
    plan = plan_request(CANCEL, said)  # "cancel thursday and book me next week": cancel first
    if plan.first_task is not None:
        return start(plan.first_task, turn, said)
    target = in_question_or_explain(turn)  # the reminded session, if this answers a reminder
    appointment = target.appointment
    if appointment is None:
        return [*clear_pending(), SlotSet("pending_task", BOOK_OFFER), *plan.events]
    note = policy_note(turn, appointment, "cancel")
    details = target.note or text("scheduling.current_session", session=turn.describe(appointment))
    if note:
        details += f" {note}"
    turn.say(text("scheduling.confirm_cancel", details=details), buttons=yes_no_buttons())
    return [
        *clear_pending(),
        SlotSet("pending_task", CANCEL),
        SlotSet("target_appointment_id", str(appointment.id)),
        *plan.events,
    ]


register_starter(RESCHEDULE, start_reschedule)
register_starter(BOOK, start_booking)
register_starter(CANCEL, start_cancel)
