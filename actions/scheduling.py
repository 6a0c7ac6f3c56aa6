"""Reschedule, cancel and book: offer real open slots, confirm, change the store.

The conversation keeps what is on the client's screen in slots
(`pending_task`, `offered_slots`, `selected_slot`, `target_appointment_id`),
so a reply of "2", "yes" or "friday afternoon" is read against it.
"""

from __future__ import annotations

import datetime as dt

from rasa_sdk.events import EventType, SlotSet

from actions.base import Buttons, FrontDeskAction, Turn, button, clear_pending, how_we_meet, yes_no_buttons
from assistant.scheduling.parsing import parse_choice
from assistant.scheduling.policy import ChangeAction, format_money, quote_change
from assistant.scheduling.preferences import SlotPreference, parse_preference
from assistant.scheduling.slots import spread_across_days
from assistant.services.appointments import AppointmentError, SlotUnavailable
from assistant.store.models import Appointment, AppointmentStatus
from assistant.wording.catalog import text

RESCHEDULE, CANCEL, BOOK, BOOK_OFFER = "reschedule", "cancel", "book", "book_offer"
MAX_OPTIONS = 3
CANDIDATES = 40  # searched, then spread across days so the options are real alternatives


def _option_buttons(turn: Turn, starts: list[dt.datetime]) -> Buttons:
    return [
        {"title": turn.when(start), "payload": f'/choose_option{{"option":"{number}"}}'}
        for number, start in enumerate(starts, start=1)
    ]


def _numbered(turn: Turn, starts: list[dt.datetime]) -> str:
    return "\n".join(
        text("action.scheduling.numbered_option", number=number, when=turn.when(start))
        for number, start in enumerate(starts, start=1)
    )


def _offered(turn: Turn) -> list[dt.datetime]:
    """The times on the client's screen (ISO strings in the `offered_slots` slot)."""
    value = turn.slot("offered_slots")
    return [dt.datetime.fromisoformat(str(item)) for item in value] if isinstance(value, list) else []


def _target_id(turn: Turn) -> int | None:
    """The session being moved or cancelled, if one is on the client's screen."""
    value = turn.slot_text("target_appointment_id")
    return int(value) if value else None


def _required_target_id(turn: Turn) -> int:
    target = _target_id(turn)
    if target is None:  # the slots disagree with each other: the fail-safe hands over to a person
        raise ValueError("the pending task has no target appointment")
    return target


def offer_slots(
    turn: Turn, task: str, preference: SlotPreference, appointment: Appointment | None = None, preface: str = ""
) -> list[EventType]:
    """Find up to three open times honouring the preference, and put them on screen."""
    if appointment is not None:
        clinician_id, modality = appointment.clinician_id, appointment.modality
    else:
        defaults = turn.services.booking_defaults()
        if defaults.clinician_id is None:
            turn.say(text("scheduling.no_clinician"))
            return clear_pending()
        clinician_id, modality = defaults.clinician_id, defaults.modality

    def find(wanted: SlotPreference | None) -> list[dt.datetime]:
        found = turn.services.open_slots(
            clinician_id,
            limit=CANDIDATES,
            preference=wanted,
            modality=modality,
            exclude_appointment_id=appointment.id if appointment else None,
        )
        return spread_across_days(found, MAX_OPTIONS, turn.tz)

    starts = find(preference)
    lines = [preface] if preface else []
    if not starts and not preference.is_empty:
        lines.append(text("scheduling.no_openings_for", wanted=preference.description or text("scheduling.that_time")))
        starts = find(None)
        if starts:
            lines.append(text("scheduling.next_times_instead"))
    elif starts:
        wanted = text("action.scheduling.for_wanted", wanted=preference.description) if preference.description else ""
        lines.append(text("scheduling.next_times", wanted=wanted))
    if not starts:
        lines.append(text("scheduling.no_times"))
        turn.say(" ".join(lines))
        return clear_pending()
    lines_text = " ".join(lines)
    turn.say(
        "\n".join([lines_text, _numbered(turn, starts), text("scheduling.pick")]), buttons=_option_buttons(turn, starts)
    )
    return [
        SlotSet("pending_task", task),
        SlotSet("offered_slots", [start.isoformat() for start in starts]),
        SlotSet("selected_slot", None),
        SlotSet("target_appointment_id", str(appointment.id) if appointment else None),
    ]


def _policy_note(turn: Turn, appointment: Appointment, action: ChangeAction) -> str:
    quote = quote_change(
        appointment.starts_at, turn.now, turn.practice.cancellation_window_hours, turn.practice.late_cancel_fee_cents
    )
    return quote.describe(action=action) if quote.inside_window else ""


def _next_or_explain(turn: Turn) -> Appointment | None:
    appointment = turn.next_appointment()
    if appointment is None:
        turn.say(text("appointment.none_offer_booking"), buttons=yes_no_buttons())
    return appointment


class OfferReschedule(FrontDeskAction):
    action_name = "action_offer_reschedule"

    def act(self, turn: Turn) -> list[EventType]:
        appointment = _next_or_explain(turn)
        if appointment is None:
            return [*clear_pending(), SlotSet("pending_task", BOOK_OFFER)]
        preface = text("scheduling.current_session", session=turn.describe(appointment))
        note = _policy_note(turn, appointment, "reschedule")
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
        task, target = turn.slot_text("pending_task"), _target_id(turn)
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


class ChooseOption(FrontDeskAction):
    action_name = "action_choose_option"

    def act(self, turn: Turn) -> list[EventType]:
        offered = _offered(turn)
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
        choice = parse_choice(str(entity) if entity else turn.text, len(offered), labels)
        if choice is None:
            turn.say(text("scheduling.which_one", count=len(offered)), buttons=_option_buttons(turn, offered))
            return []
        chosen = offered[choice - 1]
        if task == RESCHEDULE:
            appointment = turn.services.appointment(_required_target_id(turn))
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
        task, selected, target = turn.slot_text("pending_task"), turn.slot_text("selected_slot"), _target_id(turn)
        if task == CANCEL and target is not None:
            return self._cancel(turn, target)
        if task == BOOK_OFFER:
            return offer_slots(turn, BOOK, SlotPreference())
        if task in (RESCHEDULE, BOOK) and not selected:
            turn.say(text("scheduling.which_time"))
            return []
        if task == RESCHEDULE and selected:
            return self._reschedule(turn, _required_target_id(turn), dt.datetime.fromisoformat(selected))
        if task == BOOK and selected:
            return self._book(turn, dt.datetime.fromisoformat(selected))
        turn.say(text("scheduling.what_else"))
        return []

    def _reschedule(self, turn: Turn, appointment_id: int, new_start: dt.datetime) -> list[EventType]:
        try:
            result = turn.services.reschedule(appointment_id, new_start)
        except SlotUnavailable:
            appointment = turn.services.appointment(appointment_id)
            return offer_slots(
                turn, RESCHEDULE, SlotPreference(), appointment=appointment, preface=text("scheduling.just_taken")
            )
        except AppointmentError:
            turn.say(text("scheduling.cannot_change"))
            return clear_pending()
        turn.say(text("scheduling.moved", session=turn.describe(result.new), old_time=turn.when(result.old.starts_at)))
        return clear_pending()

    def _book(self, turn: Turn, start: dt.datetime) -> list[EventType]:
        defaults = turn.services.booking_defaults()
        if defaults.clinician_id is None:  # offer_slots offered nothing then; the slots were edited
            turn.say(text("scheduling.no_clinician"))
            return clear_pending()
        try:
            booked = turn.services.book(defaults.clinician_id, start, defaults.modality)
        except SlotUnavailable:
            return offer_slots(turn, BOOK, SlotPreference(), preface=text("scheduling.just_taken"))
        turn.say(text("scheduling.booked", session=turn.describe(booked)))
        return clear_pending()

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
        else:
            turn.say(text("scheduling.anything_else"))
        return clear_pending()


class StartCancel(FrontDeskAction):
    action_name = "action_start_cancel"

    def act(self, turn: Turn) -> list[EventType]:
        appointment = _next_or_explain(turn)
        if appointment is None:
            return [*clear_pending(), SlotSet("pending_task", BOOK_OFFER)]
        note = _policy_note(turn, appointment, "cancel")
        details = text("scheduling.current_session", session=turn.describe(appointment))
        if note:
            details += f" {note}"
        turn.say(text("scheduling.confirm_cancel", details=details), buttons=yes_no_buttons())
        return [
            *clear_pending(),
            SlotSet("pending_task", CANCEL),
            SlotSet("target_appointment_id", str(appointment.id)),
        ]
