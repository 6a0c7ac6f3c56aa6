"""When is my next session, and how do I join it."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet

from actions.base import FrontDeskAction, Turn
from actions.follow_ups import continue_queued, plan_request, register_starter, start
from actions.scheduling.resume import answer_how_offer_is_held, remind_pending
from assistant.scheduling.parsing import split_requests
from assistant.scheduling.parsing.requests import VIDEO_LINK
from assistant.store.models import Modality
from assistant.wording.catalog import text


class AppointmentInfo(FrontDeskAction):
    action_name = "action_appointment_info"
    reads_first = True  # usually an answer only: see FrontDeskAction.reads_first

    def act(self, turn: Turn) -> list[EventType]:
        if answer_how_offer_is_held(turn):  # "is that by video?" about the times on screen
            return []
        appointment = turn.next_appointment()
        if appointment is None:
            turn.say(text("appointment.none"))
        else:
            turn.say(text("appointment.next", session=turn.describe(appointment), place=turn.where(appointment)))
        remind_pending(turn)  # asked in passing: the offer or question on screen still stands
        return []


class TelehealthLink(FrontDeskAction):
    action_name = "action_telehealth_link"

    def act(self, turn: Turn) -> list[EventType]:
        if "link" not in turn.text.lower() and answer_how_offer_is_held(turn):  # "is that on zoom?"
            return []
        events = send_video_link(turn, turn.text)
        if not split_requests(turn.text):
            remind_pending(turn)  # asked in passing: the offer or question on screen still stands
        return events


def send_video_link(turn: Turn, said: str) -> list[EventType]:
    plan = plan_request(VIDEO_LINK, said)  # "send the zoom link and move my tuesday"
    if plan.first_task is not None:
        return start(plan.first_task, turn, said)
    events: list[EventType] = []
    appointment = turn.next_appointment()
    if appointment is None:
        turn.say(text("video.none"))
    elif appointment.modality is Modality.IN_PERSON:
        turn.say(text("video.in_person", when=turn.when(appointment.starts_at), place=turn.where(appointment)))
    elif not appointment.telehealth_url:
        turn.say(text("video.not_ready"))
    else:
        turn.say(text("video.link", when=turn.when(appointment.starts_at), url=appointment.telehealth_url))
        turn.services.video_link_given(appointment)
        events.append(SlotSet("last_link", "video"))  # "didn't work" -> this link again, or a person
    if plan.queued:  # the link is sent at once: go straight on with the next request
        return continue_queued(turn, events, plan.queued)
    return events


register_starter(VIDEO_LINK, send_video_link)
