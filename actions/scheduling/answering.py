"""The client's answer to what is on the screen: which option, yes (carry it out) or no."""

from __future__ import annotations

import datetime as dt

from rasa_sdk.events import EventType, SlotSet

from actions.base import FrontDeskAction, Turn, button, clear_pending, how_we_meet, yes_no_buttons
from actions.follow_ups import continue_queued, has_queued
from actions.reminded import answer_yes, current_task, reply_context
from actions.scheduling.failed_confirmation import session_changed, slot_was_taken
from actions.scheduling.offers import (
    BOOK,
    BOOK_OFFER,
    CANCEL,
    RESCHEDULE,
    offer_slots,
    offered_times,
    option_buttons,
    reoffer,
    required_target_id,
    target_id,
)
from assistant.scheduling.parsing import read_choice
from assistant.scheduling.policy import format_money
from assistant.scheduling.preferences import SlotPreference, parse_preference
from assistant.services.appointments import AlreadyAtThatTime, AppointmentError, SlotUnavailable
from assistant.store.models import AppointmentStatus
from assistant.wording.catalog import text


class ChooseOption(FrontDeskAction):
    action_name = "action_choose_option"
    reads_first = True  # usually an answer only: see FrontDeskAction.reads_first

    def act(self, turn: Turn) -> list[EventType]:
        offered = offered_times(turn)
        task = turn.slot_text("pending_task")
        if not offered or task not in (RESCHEDULE, BOOK):
            turn.say(
                text("scheduling.nothing_to_pick"),
                buttons=[
                    button("button.move_my_session", "/reschedule_appointment"),
                    button("button.book_session", "/book_appointment"),
                ],
            )
            return []
        labels = [turn.when(start) for start in offered]
        entity = next(turn.tracker.get_latest_entity_values("option"), None)
        candidates = sorted(read_choice(str(entity) if entity else turn.text, len(offered), labels))
        if len(candidates) > 1:  # "friday's" with two Friday times: ask which, naming only those
            names = text("context.or").join(labels[number - 1] for number in candidates)
            buttons = [button for number, button in enumerate(option_buttons(turn, offered), 1) if number in candidates]
            turn.say(text("context.which_of", options=names), buttons=buttons)
            return []
        if not candidates:
            preference = parse_preference(turn.text, turn.today)
            offered_again = reoffer(turn, task, preference) if not entity and not preference.is_empty else None
            if offered_again is not None:  # "3pm on thursday works" when it is not on offer: look for it
                return offered_again
            turn.say(text("scheduling.which_one", count=len(offered)), buttons=option_buttons(turn, offered))
            return []
        chosen = offered[candidates[0] - 1]
        if task == RESCHEDULE:
            appointment = turn.services.appointment(required_target_id(turn))
            question = text(
                "scheduling.confirm_move", old_time=turn.when(appointment.starts_at), new_time=turn.when(chosen)
            )
        else:
            modality = turn.services.booking_defaults().modality
            question = text("scheduling.confirm_book", when=turn.when(chosen), how=how_we_meet(modality))
        turn.say(question, buttons=yes_no_buttons())
        return [SlotSet("selected_slot", chosen.isoformat())]


class ConfirmPending(FrontDeskAction):
    """ "Yes": carry out whatever the client was just asked to confirm."""

    action_name = "action_confirm_pending"

    def act(self, turn: Turn) -> list[EventType]:
        context = reply_context(turn)
        task, selected, target = current_task(turn, context), turn.slot_text("selected_slot"), target_id(turn)
        if task is None and context is not None:  # "yes" to a reminder or a follow-up text
            answered = answer_yes(turn, context, lambda: offer_slots(turn, BOOK, SlotPreference()))
            if answered is not None:
                return answered
        if task == CANCEL and target is not None:
            return self._cancel(turn, target)
        if task == BOOK_OFFER:
            return offer_slots(turn, BOOK, SlotPreference())
        if task in (RESCHEDULE, BOOK) and not selected:
            turn.say(text("scheduling.which_time"), buttons=option_buttons(turn, offered_times(turn)))
            return []
        if task == RESCHEDULE and selected:
            return self._reschedule(turn, required_target_id(turn), dt.datetime.fromisoformat(selected))
        if task == BOOK and selected:
            return self._book(turn, dt.datetime.fromisoformat(selected))
        turn.say(text("scheduling.what_else"))
        return []

    def _reschedule(self, turn: Turn, appointment_id: int, new_start: dt.datetime) -> list[EventType]:
        try:
            result = turn.services.reschedule(appointment_id, new_start)
        except AlreadyAtThatTime:  # offers leave the current time out: the session was set to it meanwhile
            turn.say(text("scheduling.already_that_time", when=turn.when(new_start)))
            return continue_queued(turn, clear_pending())
        except SlotUnavailable:
            appointment = turn.services.appointment(appointment_id)
            if appointment.status is AppointmentStatus.BOOKED and appointment.starts_at > turn.now:
                return slot_was_taken(turn, RESCHEDULE, new_start, appointment)
            return session_changed(turn, appointment)
        except AppointmentError:
            try:
                return session_changed(turn, turn.services.appointment(appointment_id))
            except AppointmentError:  # gone altogether (not the client's any more)
                turn.say(text("scheduling.cannot_change"), buttons=[button("button.talk_to_person", "/request_human")])
                return clear_pending()
        turn.say(text("scheduling.moved", session=turn.describe(result.new), old_time=turn.when(result.old.starts_at)))
        return continue_queued(turn, clear_pending())

    def _book(self, turn: Turn, start: dt.datetime) -> list[EventType]:
        defaults = turn.services.booking_defaults()
        if defaults.clinician_id is None:  # offer_slots offered nothing then; the slots were edited
            turn.say(text("scheduling.no_clinician"))
            return clear_pending()
        try:
            booked = turn.services.book(defaults.clinician_id, start, defaults.modality)
        except SlotUnavailable:
            return slot_was_taken(turn, BOOK, start)
        turn.say(text("scheduling.booked", session=turn.describe(booked)))
        return continue_queued(turn, clear_pending())

    def _cancel(self, turn: Turn, appointment_id: int) -> list[EventType]:
        try:
            result = turn.services.cancel(appointment_id)
        except AppointmentError:
            turn.say(text("scheduling.cannot_cancel"))
            return clear_pending()
        appointment = result.appointment
        fee = (
            text(
                "scheduling.late_fee",
                window_hours=turn.practice.cancellation_window_hours,
                fee=format_money(appointment.fee_cents or 0),
            )
            if appointment.status is AppointmentStatus.LATE_CANCELLED
            else ""
        )
        if has_queued(turn):  # "cancel thursday and book me next week": the booking comes next, no need to ask
            turn.say(text("context.cancelled_then", when=turn.when(appointment.starts_at), fee=fee))
            return continue_queued(turn, clear_pending())
        turn.say(text("scheduling.cancelled", when=turn.when(appointment.starts_at), fee=fee), buttons=yes_no_buttons())
        return [*clear_pending(), SlotSet("pending_task", BOOK_OFFER)]


class DeclinePending(FrontDeskAction):
    action_name = "action_decline_pending"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        task = turn.slot_text("pending_task")
        if task in (RESCHEDULE, BOOK) and turn.slot("selected_slot"):
            turn.say(text("scheduling.keep_choosing"))
            return [SlotSet("selected_slot", None)]
        if task == CANCEL:
            turn.say(text("scheduling.cancel_kept"))
        elif task in (RESCHEDULE, BOOK):
            turn.say(text("scheduling.nothing_changed"))
        elif not has_queued(turn):
            turn.say(text("scheduling.anything_else"))
        return continue_queued(turn, clear_pending())  # a second request in the same message still stands
