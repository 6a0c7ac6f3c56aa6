"""When is my next session, and how do I join it."""

from __future__ import annotations

from rasa_sdk.events import EventType

from actions.base import FrontDeskAction, Turn
from assistant.store.models import Modality


class AppointmentInfo(FrontDeskAction):
    action_name = "action_appointment_info"

    def act(self, turn: Turn) -> list[EventType]:
        appointment = turn.next_appointment()
        if appointment is None:
            turn.say("You don't have an upcoming session with us. Reply \"book\" to find a time.")
            return []
        turn.say(f"Your next session is {turn.describe(appointment)}{turn.where(appointment)}.")
        return []


class TelehealthLink(FrontDeskAction):
    action_name = "action_telehealth_link"

    def act(self, turn: Turn) -> list[EventType]:
        appointment = turn.next_appointment()
        if appointment is None:
            turn.say("You don't have an upcoming session with us, so there's no video link yet. "
                     "Reply \"book\" to find a time.")
        elif appointment.modality is Modality.IN_PERSON:
            turn.say(f"Your next session ({turn.when(appointment.starts_at)}) is in person"
                     f"{turn.where(appointment)}, "
                     "so there's no video link for it. If you'd like to meet by video instead, "
                     "reply \"person\" and our team will help.")
        elif not appointment.telehealth_url:
            turn.say("Your next session is by video, but its link isn't ready yet. "
                     "Reply \"person\" and our team will send it.")
        else:
            turn.say(f"Here's the video link for your session on {turn.when(appointment.starts_at)}: "
                     f"{appointment.telehealth_url}\nOpen it a few minutes early to test your "
                     "camera and sound.")
        return []
