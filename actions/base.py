"""What every front-desk action shares: the turn's services, the conversation's
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

from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.tracker_values import intent_ranking, latest_intent, latest_text, request_id_of
from assistant.config import Settings, get_settings
from assistant.logs import get_logger, request_id_var
from assistant.services.appointments import format_slot
from assistant.services.bot_turn import BotTurn
from assistant.services.bot_turn_scope import hand_off_after_failure, run_bot_turn
from assistant.store.models import (
    Appointment,
    Channel,
    Client,
    Clinician,
    Conversation,
    HandoffReason,
    Modality,
    Practice,
)
from assistant.wording.catalog import placeholders, text

log = get_logger("actions")

PENDING_SLOTS = ("pending_task", "offered_slots", "selected_slot", "target_appointment_id")
Buttons = list[dict[str, str]]


@dataclass
class Turn:
    """Everything an action needs for one bot turn."""

    services: BotTurn  # the store work this turn may do, bound to its conversation
    tracker: Tracker
    dispatcher: CollectingDispatcher
    settings: Settings

    @property
    def conversation(self) -> Conversation:
        return self.services.conversation

    @property
    def practice(self) -> Practice:
        return self.services.practice

    @property
    def client(self) -> Client | None:
        return self.services.client

    @property
    def now(self) -> dt.datetime:
        return self.services.now

    @property
    def request_id(self) -> str | None:
        return self.services.request_id

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.practice.timezone)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.tz).date()

    @property
    def text(self) -> str:
        return latest_text(self.tracker)

    @property
    def is_sms(self) -> bool:
        return self.conversation.channel is Channel.SMS

    @property
    def is_phone(self) -> bool:
        """A text or a call: not a private screen, so the minimum necessary is said."""
        return self.conversation.channel in (Channel.SMS, Channel.VOICE)

    def slot(self, name: str) -> Any:
        """A slot's raw value (what the tracker holds: a string, list, bool or None)."""
        return self.tracker.get_slot(name)

    def slot_text(self, name: str) -> str | None:
        value = self.tracker.get_slot(name)
        return None if value is None else str(value)

    def say(self, text: str, buttons: Buttons | None = None) -> None:
        self.dispatcher.utter_message(text=text, buttons=buttons or [])

    def when(self, starts_at: dt.datetime) -> str:
        return format_slot(starts_at, self.tz)

    def with_clinician(self, clinician: Clinician) -> str:
        """' with Dr. Maya Patel', unless this is a text or a call and the practice keeps names
        out of them (`sms_clinical_details_allowed` covers both)."""
        if self.is_phone and not self.practice.sms_clinical_details_allowed:
            return ""
        return text("session.with_clinician", clinician=clinician.display_name)

    def next_appointment(self) -> Appointment | None:
        """The verified client's next booked session."""
        return self.services.next_appointment()

    @staticmethod
    def where(appointment: Appointment) -> str:
        """' at Suite 210' for an in-person session with a known room, else ''."""
        if appointment.modality is Modality.IN_PERSON and appointment.location:
            return text("session.at_place", place=appointment.location)
        return ""

    def describe(self, appointment: Appointment) -> str:
        """'Fri Nov 27, 3:00 PM by video with Dr. Maya Patel' — the one way sessions are named."""
        return text(
            "action.session.description",
            when=self.when(appointment.starts_at),
            how=how_we_meet(appointment.modality),
            with_clinician=self.with_clinician(appointment.clinician),
        )


def how_we_meet(modality: Modality) -> str:
    return text("session.by_video" if modality is Modality.TELEHEALTH else "session.in_person")


def button(key: str, payload: str) -> dict[str, str]:
    return {"title": text(key), "payload": payload}


def yes_no_buttons() -> Buttons:
    return [button("button.yes", "/affirm"), button("button.no", "/deny")]


# What a conversation carries alongside the screen (issue 12): a second request waiting its
# turn, and how many offers the client turned down in a row.
FOLLOW_UP_SLOTS = ("queued_request", "offers_declined")


def clear_pending() -> list[EventType]:
    return [SlotSet(name, None) for name in (*PENDING_SLOTS, *FOLLOW_UP_SLOTS)]


class FrontDeskAction(Action, ABC):
    action_name: ClassVar[str]
    # Anything about a client's appointments, links or billing needs a verified identity.
    requires_verification: ClassVar[bool] = True
    # Usually only reads (an answer, an offer of times): tried in a read-only transaction
    # first, which on SQLite does not queue for the write lock; rerun as a writer if it writes.
    reads_first: ClassVar[bool] = False

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return await asyncio.to_thread(self._run_sync, dispatcher, tracker)

    @abstractmethod
    def act(self, turn: Turn) -> list[EventType]:
        """Do the work through the turn's services and say the result."""

    def _run_sync(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        request_id = request_id_of(tracker)
        token = request_id_var.set(request_id)
        try:
            settings = get_settings()

            def attempt(services: BotTurn) -> tuple[list[EventType], list[dict[str, Any]]]:
                # What the action says is collected per attempt: a read-only attempt that
                # needed to write after all is discarded with its messages (bot_turn_scope).
                said = CollectingDispatcher()
                turn = Turn(services=services, tracker=tracker, dispatcher=said, settings=settings)
                return self._act_verified(turn), said.messages

            events, messages = run_bot_turn(
                tracker.sender_id, attempt, request_id=request_id, read_first=self.reads_first
            )
            dispatcher.messages.extend(messages)
            return events
        except Exception:
            log.exception("action_failed", action=self.name(), conversation=tracker.sender_id)
            return self._fail_safe(dispatcher, tracker, request_id)
        finally:
            request_id_var.reset(token)

    def _act_verified(self, turn: Turn) -> list[EventType]:
        if self.requires_verification and turn.client is None:
            log.info("verification_required", action=self.name(), conversation=turn.conversation.id)
            if turn.is_sms:
                # A number not on file gets general help only: nothing is looked up by text.
                turn.say(text("sms.unknown_number", phone=turn.practice.phone_e164 or text("sms.the_office")))
                return []
            if turn.conversation.channel is Channel.VOICE:
                # The caller ID is not on file (or the date of birth did not confirm it).
                turn.say(text("voice.unknown_caller"))
                return []
            return [SlotSet("resume_action", self.name()), FollowupAction("verify_form")]
        events = self.act(turn)
        log.info("action_ran", action=self.name(), conversation=turn.conversation.id)
        return events

    def _fail_safe(self, dispatcher: CollectingDispatcher, tracker: Tracker, request_id: str | None) -> list[EventType]:
        """Something broke: the client is told honestly and a person takes over."""
        try:
            hand_off_after_failure(tracker.sender_id, failed_action=self.name(), request_id=request_id)
        except Exception:
            log.exception("fail_safe_handoff_failed", action=self.name())
        dispatcher.utter_message(text=text("service.trouble"))
        return [ActiveLoop(None), *clear_pending()]


def hand_off(turn: Turn, reason: HandoffReason, wording: str = "handoff.ack") -> list[EventType]:
    """Open a ticket carrying what the bot knows, tell the client (the catalog entry
    `wording`, its `{promise}` filled honestly), and stop any flow."""
    ranking = intent_ranking(turn.tracker)[:3]
    context = {
        "last_intent": latest_intent(turn.tracker),
        **{name: turn.slot(name) for name in PENDING_SLOTS if turn.slot(name)},
    }
    turn.services.hand_off(
        reason,
        nlu_confidence=ranking[0].confidence if ranking else None,
        top_intents=[{"intent": guess.name, "confidence": guess.confidence} for guess in ranking],
        context=context,
    )
    # Say honestly when a person will answer (closed now? then when we reopen); the crisis
    # reply promises no time: 988 and 911 come first and on-call has been texted.
    promises_a_person = "promise" in placeholders(wording)
    turn.say(turn.services.handoff_reply(wording) if promises_a_person else text(wording))
    return [ActiveLoop(None), *clear_pending(), SlotSet("resume_action", None)]
