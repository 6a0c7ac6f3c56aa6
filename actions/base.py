"""What every front-desk action shares: a store session, the conversation's
context, the identity gate, handoff, and a safe failure path.

Actions run their store work in a worker thread so the action server's event
loop keeps serving other conversations while one waits on the database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from assistant.config import Settings, get_settings
from assistant.logs import get_logger, request_id_var
from assistant.services.appointments import format_slot, next_appointment
from assistant.services.conversations import get_conversation, open_handoff, practice_of
from assistant.services.promises import handoff_reply
from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    Channel,
    Client,
    Clinician,
    Conversation,
    HandoffReason,
    Modality,
    Practice,
    utcnow,
)
from assistant.wording.catalog import placeholders, text

log = get_logger("actions")

PENDING_SLOTS = ("pending_task", "offered_slots", "selected_slot", "target_appointment_id")


@dataclass
class Turn:
    """Everything an action needs for one bot turn."""

    session: Session
    conversation: Conversation
    practice: Practice
    client: Client | None
    tracker: Tracker
    dispatcher: CollectingDispatcher
    settings: Settings
    request_id: str | None
    now: dt.datetime

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.practice.timezone)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.tz).date()

    @property
    def text(self) -> str:
        return self.tracker.latest_message.get("text") or ""

    @property
    def is_sms(self) -> bool:
        return self.conversation.channel is Channel.SMS

    def slot(self, name: str) -> Any:
        return self.tracker.get_slot(name)

    def say(self, text: str, buttons: list[dict[str, str]] | None = None) -> None:
        self.dispatcher.utter_message(text=text, buttons=buttons or [])

    def when(self, starts_at: dt.datetime) -> str:
        return format_slot(starts_at, self.tz)

    def with_clinician(self, clinician: Clinician) -> str:
        """' with Dr. Maya Patel', unless this is SMS and the practice keeps names out of texts."""
        if self.is_sms and not self.practice.sms_clinical_details_allowed:
            return ""
        return text("session.with_clinician", clinician=clinician.display_name)

    def next_appointment(self) -> Appointment | None:
        """The verified client's next booked session."""
        assert self.client is not None
        return next_appointment(self.session, self.client.id, self.now)

    @staticmethod
    def where(appointment: Appointment) -> str:
        """' at Suite 210' for an in-person session with a known room, else ''."""
        if appointment.modality is Modality.IN_PERSON and appointment.location:
            return text("session.at_place", place=appointment.location)
        return ""

    def describe(self, appointment: Appointment) -> str:
        """'Fri Nov 27, 3:00 PM by video with Dr. Maya Patel' — the one way sessions are named."""
        return (
            f"{self.when(appointment.starts_at)} {how_we_meet(appointment.modality)}"
            f"{self.with_clinician(appointment.clinician)}"
        )


def how_we_meet(modality: Modality) -> str:
    return text("session.by_video" if modality is Modality.TELEHEALTH else "session.in_person")


def button(key: str, payload: str) -> dict[str, str]:
    return {"title": text(key), "payload": payload}


def yes_no_buttons() -> list[dict[str, str]]:
    return [button("button.yes", "/affirm"), button("button.no", "/deny")]


def clear_pending() -> list[EventType]:
    return [SlotSet(name, None) for name in PENDING_SLOTS]


class FrontDeskAction(Action, ABC):
    action_name: ClassVar[str]
    # Anything about a client's appointments, links or billing needs a verified identity.
    requires_verification: ClassVar[bool] = True

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return await asyncio.to_thread(self._run_sync, dispatcher, tracker)

    @abstractmethod
    def act(self, turn: Turn) -> list[EventType]:
        """Do the work in the store and say the result."""

    def _run_sync(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        metadata = tracker.latest_message.get("metadata") or {}
        request_id = metadata.get("request_id")
        token = request_id_var.set(request_id)
        try:
            settings = get_settings()
            with session_scope() as session:
                conversation = get_conversation(session, tracker.sender_id)
                turn = Turn(
                    session=session,
                    conversation=conversation,
                    practice=practice_of(session, conversation),
                    client=conversation.client,
                    tracker=tracker,
                    dispatcher=dispatcher,
                    settings=settings,
                    request_id=request_id,
                    now=utcnow(),
                )
                if self.requires_verification and turn.client is None:
                    log.info("verification_required", action=self.name(), conversation=conversation.id)
                    if turn.is_sms:
                        # A number not on file gets general help only: nothing is looked up by text.
                        turn.say(text("sms.unknown_number", phone=turn.practice.phone_e164 or text("sms.the_office")))
                        return []
                    return [SlotSet("resume_action", self.name()), FollowupAction("verify_form")]
                events = self.act(turn)
                log.info("action_ran", action=self.name(), conversation=conversation.id)
                return events
        except Exception:
            log.exception("action_failed", action=self.name(), conversation=tracker.sender_id)
            return self._fail_safe(dispatcher, tracker, request_id)
        finally:
            request_id_var.reset(token)

    def _fail_safe(self, dispatcher: CollectingDispatcher, tracker: Tracker, request_id: str | None) -> list[EventType]:
        """Something broke: the client is told honestly and a person takes over."""
        try:
            with session_scope() as session:
                conversation = get_conversation(session, tracker.sender_id)
                open_handoff(
                    session,
                    conversation,
                    HandoffReason.REPEATED_FAILURE,
                    context={"failed_action": self.name()},
                    request_id=request_id,
                )
        except Exception:
            log.exception("fail_safe_handoff_failed", action=self.name())
        dispatcher.utter_message(text=text("service.trouble"))
        return [ActiveLoop(None), *clear_pending()]


def hand_off(turn: Turn, reason: HandoffReason, wording: str = "handoff.ack") -> list[EventType]:
    """Open a ticket carrying what the bot knows, tell the client (the catalog entry
    `wording`, its `{promise}` filled honestly), and stop any flow."""
    latest = turn.tracker.latest_message
    ranking = [
        {"intent": item.get("name"), "confidence": round(float(item.get("confidence") or 0), 3)}
        for item in (latest.get("intent_ranking") or [])[:3]
    ]
    context = {
        "last_intent": (latest.get("intent") or {}).get("name"),
        **{name: turn.slot(name) for name in PENDING_SLOTS if turn.slot(name)},
    }
    open_handoff(
        turn.session,
        turn.conversation,
        reason,
        nlu_confidence=ranking[0]["confidence"] if ranking else None,
        top_intents=ranking,
        context=context,
        request_id=turn.request_id,
    )
    # Say honestly when a person will answer (closed now? then when we reopen); the crisis
    # reply promises no time: 988 and 911 come first and on-call has been texted.
    promises_a_person = "promise" in placeholders(wording)
    turn.say(handoff_reply(turn.practice, wording, turn.now) if promises_a_person else text(wording))
    return [ActiveLoop(None), *clear_pending(), SlotSet("resume_action", None)]
