"""What is on the client's screen while scheduling, read back from the slots, and putting
new options there: up to three real open times, spread across days."""

from __future__ import annotations

import datetime as dt

from rasa_sdk.events import EventType, SlotSet

from actions.base import Buttons, Turn, button, clear_pending, yes_no_buttons
from assistant.scheduling.policy import ChangeAction, quote_change
from assistant.scheduling.preferences import SlotPreference
from assistant.scheduling.slots import spread_across_days
from assistant.store.models import Appointment
from assistant.wording.catalog import text

RESCHEDULE, CANCEL, BOOK, BOOK_OFFER = "reschedule", "cancel", "book", "book_offer"
MAX_OPTIONS = 3
CANDIDATES = 40  # searched, then spread across days so the options are real alternatives


def option_buttons(turn: Turn, starts: list[dt.datetime]) -> Buttons:
    return [
        {"title": turn.when(start), "payload": f'/choose_option{{"option":"{number}"}}'}
        for number, start in enumerate(starts, start=1)
    ]


def numbered(turn: Turn, starts: list[dt.datetime]) -> str:
    return "\n".join(
        text("action.scheduling.numbered_option", number=number, when=turn.when(start))
        for number, start in enumerate(starts, start=1)
    )


def offered_times(turn: Turn) -> list[dt.datetime]:
    """The times on the client's screen (ISO strings in the `offered_slots` slot)."""
    value = turn.slot("offered_slots")
    return [dt.datetime.fromisoformat(str(item)) for item in value] if isinstance(value, list) else []


def target_id(turn: Turn) -> int | None:
    """The session being moved or cancelled, if one is on the client's screen."""
    value = turn.slot_text("target_appointment_id")
    return int(value) if value else None


def required_target_id(turn: Turn) -> int:
    target = target_id(turn)
    if target is None:  # the slots disagree with each other: the fail-safe hands over to a person
        raise ValueError("the pending task has no target appointment")
    return target


def offer_slots(
    turn: Turn,
    task: str,
    preference: SlotPreference,
    appointment: Appointment | None = None,
    preface: str = "",
    avoid: list[dt.datetime] | None = None,
    offer_person: bool = False,
) -> list[EventType]:
    """Find up to three open times honouring the preference, and put them on screen.

    `avoid`: times the client already turned down ("none of those work"); they are not
    offered again, and other days come first. `offer_person`: a "Talk to a person" button
    beside the times (or instead of them when there are none)."""
    person = [button("button.talk_to_person", "/request_human")] if offer_person else []
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
        if avoid:
            turned_down_days = {start.astimezone(turn.tz).date() for start in avoid}
            fresh = [start for start in found if start not in avoid]
            other_days = [start for start in fresh if start.astimezone(turn.tz).date() not in turned_down_days]
            found = other_days if len(other_days) >= MAX_OPTIONS else fresh
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
        turn.say(" ".join(lines), buttons=person or None)
        return clear_pending()
    lines_text = " ".join(lines)
    turn.say(
        "\n".join([lines_text, numbered(turn, starts), text("scheduling.pick")]),
        buttons=option_buttons(turn, starts) + person,
    )
    return [
        SlotSet("pending_task", task),
        SlotSet("offered_slots", [start.isoformat() for start in starts]),
        SlotSet("selected_slot", None),
        SlotSet("target_appointment_id", str(appointment.id) if appointment else None),
        SlotSet("offers_declined", None),  # a fresh offer; "none of those" counts from here
    ]


def reoffer(
    turn: Turn, task: str | None, preference: SlotPreference, preface: str = "", avoid: list[dt.datetime] | None = None
) -> list[EventType] | None:
    """New options for the task on screen (the same session being moved, or a booking);
    None when nothing is being scheduled (or the session being moved is gone)."""
    if task == RESCHEDULE:
        target = target_id(turn)
        appointment = turn.services.booked_appointment(target) if target is not None else None
        if appointment is None:
            return None
        return offer_slots(turn, RESCHEDULE, preference, appointment=appointment, preface=preface, avoid=avoid)
    if task in (BOOK, BOOK_OFFER):
        return offer_slots(turn, BOOK, preference, preface=preface, avoid=avoid)
    return None


def policy_note(turn: Turn, appointment: Appointment, action: ChangeAction) -> str:
    quote = quote_change(
        appointment.starts_at, turn.now, turn.practice.cancellation_window_hours, turn.practice.late_cancel_fee_cents
    )
    return quote.describe(action=action) if quote.inside_window else ""


def next_or_explain(turn: Turn) -> Appointment | None:
    appointment = turn.next_appointment()
    if appointment is None:
        turn.say(text("appointment.none_offer_booking"), buttons=yes_no_buttons())
    return appointment
