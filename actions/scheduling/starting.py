"""Starting a scheduling task: offer times to move the next session or book a new one, new
options for a stated preference, or ask the client to confirm a cancellation."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet

from actions.base import FrontDeskAction, Turn, button, clear_pending, yes_no_buttons
from actions.reminded import current_task, in_question_or_explain, reminded_and_changeable, reply_context
from actions.scheduling.offers import (
    BOOK,
    BOOK_OFFER,
    CANCEL,
    RESCHEDULE,
    offer_slots,
    policy_note,
    target_id,
)
from assistant.scheduling.preferences import parse_preference
from assistant.wording.catalog import text


class OfferReschedule(FrontDeskAction):
    action_name = "action_offer_reschedule"

    def act(self, turn: Turn) -> list[EventType]:
        target = in_question_or_explain(turn)  # the reminded session, if this answers a reminder
        appointment = target.appointment
        if appointment is None:
            return [*clear_pending(), SlotSet("pending_task", BOOK_OFFER)]
        preface = target.note or text("scheduling.current_session", session=turn.describe(appointment))
        note = policy_note(turn, appointment, "reschedule")
        if note:
            preface += f" {note}"
        return offer_slots(
            turn, RESCHEDULE, parse_preference(turn.text, turn.today), appointment=appointment, preface=preface
        )


class OfferBooking(FrontDeskAction):
    action_name = "action_offer_booking"

    def act(self, turn: Turn) -> list[EventType]:
        return offer_slots(turn, BOOK, parse_preference(turn.text, turn.today))


class OfferForPreference(FrontDeskAction):
    """ "Anything friday afternoon?" — new options for whatever is being scheduled."""

    action_name = "action_offer_for_preference"

    def act(self, turn: Turn) -> list[EventType]:
        preference = parse_preference(turn.text, turn.today)
        context = reply_context(turn)
        task, target = current_task(turn, context), target_id(turn)
        reminded = reminded_and_changeable(context)
        if task is None and reminded is not None:  # "can we do later?" to a reminder
            return offer_slots(turn, RESCHEDULE, preference, appointment=reminded)
        if task == RESCHEDULE and target is not None:
            appointment = turn.services.booked_appointment(target)
            if appointment is not None:
                return offer_slots(turn, RESCHEDULE, preference, appointment=appointment)
        if task in (BOOK, BOOK_OFFER):
            return offer_slots(turn, BOOK, preference)
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
        target = in_question_or_explain(turn)  # the reminded session, if this answers a reminder
        appointment = target.appointment
        if appointment is None:
            return [*clear_pending(), SlotSet("pending_task", BOOK_OFFER)]
        note = policy_note(turn, appointment, "cancel")
        details = target.note or text("scheduling.current_session", session=turn.describe(appointment))
        if note:
            details += f" {note}"
        turn.say(text("scheduling.confirm_cancel", details=details), buttons=yes_no_buttons())
        return [
            *clear_pending(),
            SlotSet("pending_task", CANCEL),
            SlotSet("target_appointment_id", str(appointment.id)),
        ]
