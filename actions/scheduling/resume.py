"""Answered in passing, then back to the flow: a question in the middle of an offer or a
yes/no ("is that by video?", "when is my session again?", a practice question) is
answered, and what is on the client's screen is repeated briefly, so a following "2" or
"yes" still reads against it (the slots were never touched).

Actions that answer such questions call `remind_pending` after their answer; the FAQ
action does the same.
"""

from __future__ import annotations

import datetime as dt

from actions.base import Turn, how_we_meet, yes_no_buttons
from actions.scheduling.offers import BOOK, CANCEL, RESCHEDULE, numbered, offered_times, option_buttons, target_id
from assistant.scheduling.parsing import asks_how_we_meet
from assistant.wording.catalog import text


def remind_pending(turn: Turn) -> None:
    """Repeat the open offer or question, if there is one (else say nothing)."""
    task, selected, offered = turn.slot_text("pending_task"), turn.slot_text("selected_slot"), offered_times(turn)
    if task in (RESCHEDULE, BOOK) and selected:
        when = turn.when(dt.datetime.fromisoformat(selected))
        key = "context.back_to_question.move" if task == RESCHEDULE else "context.back_to_question.book"
        turn.say(text(key, new_time=when, when=when), buttons=yes_no_buttons())
    elif task in (RESCHEDULE, BOOK) and offered:
        turn.say(
            "\n".join([text("context.back_to_offer"), numbered(turn, offered), text("scheduling.pick")]),
            buttons=option_buttons(turn, offered),
        )
    elif task == CANCEL and (target := target_id(turn)) is not None and turn.client is not None:
        appointment = turn.services.booked_appointment(target)
        if appointment is not None:
            turn.say(
                text("context.back_to_question.cancel", session=turn.describe(appointment)),
                buttons=yes_no_buttons(),
            )


def answer_how_offer_is_held(turn: Turn) -> bool:
    """ "Is that by video?" while times are on screen: answered from the session being moved
    (its clinician and modality stay) or the client's booking defaults; then the offer again.
    False when the question is not about an offer on screen."""
    task = turn.slot_text("pending_task")
    if task not in (RESCHEDULE, BOOK) or not offered_times(turn) or not asks_how_we_meet(turn.text):
        return False
    if turn.client is None:
        return False
    target = target_id(turn)
    appointment = turn.services.booked_appointment(target) if task == RESCHEDULE and target is not None else None
    if appointment is not None:
        how = how_we_meet(appointment.modality)
        turn.say(text("context.offer_how", how=how, with_clinician=turn.with_clinician(appointment.clinician)))
    else:
        turn.say(text("context.offer_how_new", how=how_we_meet(turn.services.booking_defaults().modality)))
    remind_pending(turn)
    return True
