""" "None of those work": other times (the next ones, other days first), and after the
second offer turned down in a row, a person who can look at the whole calendar."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet

from actions.base import FrontDeskAction, Turn, button, hand_off
from actions.scheduling.offers import BOOK, RESCHEDULE, offered_times, reoffer
from assistant.scheduling.preferences import parse_preference
from assistant.store.models import HandoffReason
from assistant.wording.catalog import text

# Offers a client may turn down before a person takes over (the first, then one more).
OFFERS_BEFORE_A_PERSON = 2


class OtherTimes(FrontDeskAction):
    action_name = "action_other_times"
    reads_first = True  # usually an answer only: see FrontDeskAction.reads_first

    def act(self, turn: Turn) -> list[EventType]:
        task, offered = turn.slot_text("pending_task"), offered_times(turn)
        if task not in (RESCHEDULE, BOOK) or not offered:
            turn.say(
                text("scheduling.nothing_to_pick"),
                buttons=[
                    button("button.move_my_session", "/reschedule_appointment"),
                    button("button.book_session", "/book_appointment"),
                ],
            )
            return []
        declined = int(turn.slot("offers_declined") or 0) + 1
        if declined >= OFFERS_BEFORE_A_PERSON:
            return hand_off(turn, HandoffReason.REQUESTED, "handoff.no_suitable_time")
        # "none of those, anything next week?" carries a new wish: honour it.
        events = reoffer(
            turn, task, parse_preference(turn.text, turn.today), preface=text("context.other_times"), avoid=offered
        )
        if events is None:  # the session being moved is gone meanwhile
            turn.say(text("context.no_other_times"))
            return []
        return [*events, SlotSet("offers_declined", float(declined))]
