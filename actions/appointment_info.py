"""When is my next session, and how do I join it."""

from __future__ import annotations

from rasa_sdk.events import EventType

from actions.base import FrontDeskAction, Turn
from assistant.store.models import Modality
from assistant.wording.catalog import text


class AppointmentInfo(FrontDeskAction):
    action_name = "action_appointment_info"

    def act(self, turn: Turn) -> list[EventType]:
        appointment = turn.next_appointment()
        if appointment is None:
            turn.say(text("appointment.none"))
            return []
        turn.say(text("appointment.next", session=turn.describe(appointment), place=turn.where(appointment)))
        return []


class TelehealthLink(FrontDeskAction):
    action_name = "action_telehealth_link"

    def act(self, turn: Turn) -> list[EventType]:
        appointment = turn.next_appointment()
        if appointment is None:
            turn.say(text("video.none"))
        elif appointment.modality is Modality.IN_PERSON:
            turn.say(text("video.in_person", when=turn.when(appointment.starts_at), place=turn.where(appointment)))
        elif not appointment.telehealth_url:
            turn.say(text("video.not_ready"))
        else:
            turn.say(text("video.link", when=turn.when(appointment.starts_at), url=appointment.telehealth_url))
        return []
