"""A "yes" that could not be carried out, explained (issue 14): the time was taken, or the
session changed, between the offer and the answer. The reply says what happened and, in the
same message, offers fresh times and a "Talk to a person" button: never a dead end."""

from __future__ import annotations

import datetime as dt

from rasa_sdk.events import EventType, SlotSet

from actions.base import Turn, button, clear_pending, yes_no_buttons
from actions.scheduling.offers import BOOK_OFFER, RESCHEDULE, offer_slots
from assistant.scheduling.preferences import SlotPreference
from assistant.store.models import Appointment, AppointmentStatus
from assistant.wording.catalog import text


def slot_was_taken(
    turn: Turn, task: str, wanted: dt.datetime, appointment: Appointment | None = None
) -> list[EventType]:
    """Someone else booked `wanted` first: say so, and offer the next open times."""
    preface = text("confirm.slot_taken", when=turn.when(wanted))
    return offer_slots(turn, task, SlotPreference(), appointment=appointment, preface=preface, offer_person=True)


def session_changed(turn: Turn, appointment: Appointment) -> list[EventType]:
    """The session being moved is no longer booked at the time offered against (cancelled, moved
    by the practice, or already under way): say which, and what the client can do now."""
    when = turn.when(appointment.starts_at)
    person = button("button.talk_to_person", "/request_human")
    if appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED):
        # Nothing left to move: booking a new session is the way on.
        turn.say(
            f"{text('confirm.session_cancelled', when=when)} {text('confirm.book_instead')}",
            buttons=[*yes_no_buttons(), person],
        )
        return [*clear_pending(), SlotSet("pending_task", BOOK_OFFER)]
    if appointment.status is AppointmentStatus.BOOKED:  # booked still, but under way now
        turn.say(f"{text('confirm.session_started', when=when)} {text('confirm.person_can_help')}", buttons=[person])
        return clear_pending()
    # Moved (or marked) by the practice since the offer: the client's next session now.
    upcoming = turn.services.next_appointment()
    lines = [text("confirm.session_moved", when=when)]
    if upcoming is not None:
        lines.append(text("confirm.now_instead", session=turn.describe(upcoming)))
        turn.say(" ".join(lines))
        return offer_slots(turn, RESCHEDULE, SlotPreference(), appointment=upcoming, offer_person=True)
    lines.append(text("confirm.book_instead"))
    turn.say(" ".join(lines), buttons=[*yes_no_buttons(), person])
    return [*clear_pending(), SlotSet("pending_task", BOOK_OFFER)]
