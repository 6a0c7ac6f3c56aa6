"""Keeping context the way a person would (issue 12): a promise the bot made is kept
("still stuck" after help), and a change of mind ("wait, keep the old time", "actually
cancel it" in the middle of the identity check) is taken at face value."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, EventType, SlotSet

from actions.base import FrontDeskAction, Turn, button, clear_pending, hand_off
from actions.scheduling.offers import BOOK, CANCEL, RESCHEDULE, target_id
from actions.tracker_values import latest_intent
from assistant.store.models import HandoffReason
from assistant.wording.catalog import text

# Which link was sent last (slot `last_link`), and how to send it again.
LINK_AGAIN = {"video": "/telehealth_link", "billing": "/billing_update"}
# A task asked for while the identity check runs: the action it resumes with, and its words.
TASK_OF_INTENT = {
    "reschedule_appointment": ("action_offer_reschedule", RESCHEDULE),
    "cancel_appointment": ("action_start_cancel", CANCEL),
    "book_appointment": ("action_offer_booking", BOOK),
}


class StillStuck(FrontDeskAction):
    """ "Still not working": the portal steps said "tell me and I'll get a person", so a
    person it is; after a link, the client chooses: the link again, or a person."""

    action_name = "action_still_stuck"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        last_link = turn.slot_text("last_link")  # the most recent help given
        if last_link == "portal" or (last_link is None and turn.slot("portal_help_given")):
            return hand_off(turn, HandoffReason.PORTAL_HELP, "handoff.portal")
        person = button("button.talk_to_person", "/request_human")
        if last_link in LINK_AGAIN:
            again = button("button.send_link_again", LINK_AGAIN[last_link])
            turn.say(text("context.link_trouble"), buttons=[again, person])
            return []
        turn.say(text("context.stuck_what"), buttons=[person])
        return []


class KeepCurrentTime(FrontDeskAction):
    """ "Wait, keep the old time": nothing changes, the client is told so, and the offer
    or question on screen is gone (a later "yes" or "2" cannot act on it)."""

    action_name = "action_keep_current_time"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        task, target = turn.slot_text("pending_task"), target_id(turn)
        appointment = None
        if task in (RESCHEDULE, CANCEL) and target is not None and turn.client is not None:
            appointment = turn.services.booked_appointment(target)
        if appointment is None and turn.client is not None and task != BOOK:
            appointment = turn.next_appointment()
        if task == BOOK:
            turn.say(text("context.kept_nothing_booked"))
        elif appointment is not None:
            turn.say(text("context.kept_session", when=turn.when(appointment.starts_at)))
        else:
            turn.say(text("context.kept_nothing_pending"))
        # Also ends an identity check that was only there for the change now dropped.
        return [ActiveLoop(None), SlotSet("requested_slot", None), *clear_pending(), SlotSet("resume_action", None)]


class SwitchTaskDuringCheck(FrontDeskAction):
    """ "Actually, just cancel it" while the identity check asks for a name: the check goes
    on, and once it passes, the new task runs instead of the old one."""

    action_name = "action_switch_task_during_check"
    requires_verification = False

    def act(self, turn: Turn) -> list[EventType]:
        resume, task = TASK_OF_INTENT.get(latest_intent(turn.tracker) or "", ("", ""))
        if not resume:
            return []
        turn.say(text(f"context.switch_during_check.{task}"))
        return [SlotSet("resume_action", resume)]
