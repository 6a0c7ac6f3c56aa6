"""Everything the dialogue actions do in the store, one bot turn at a time.

An action (rasa_sdk, `actions/`) opens a `BotTurn` for its conversation, calls its methods
and chooses the wording; it never sees a database session.  The turn is one unit of work:
it commits when the action finishes and rolls back if anything raises, so a failed action
leaves nothing half-done.  Each method binds the conversation's client, practice, clock
and request id, so an action cannot, say, book for another client or another practice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from assistant.scheduling.preferences import SlotPreference
from assistant.services import (
    appointment_confirmation,
    appointments,
    identity_guard,
    links,
    outreach,
    outreach_replies,
    practice_faq,
    promises,
    safety_check,
    video_links,
)
from assistant.services.conversations import (
    open_handoff,
    record_verification_failure,
    verify_client,
)
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Client,
    Conversation,
    HandoffReason,
    LinkPurpose,
    Modality,
    Practice,
)


@dataclass(frozen=True)
class BotTurn:
    """One action run's view of its conversation, and the store operations it may perform."""

    _session: Session
    conversation: Conversation
    now: dt.datetime
    request_id: str | None

    @property
    def practice(self) -> Practice:
        return self.conversation.practice

    @property
    def client(self) -> Client | None:
        """The verified client, or None while nobody has proved who they are."""
        return self.conversation.client

    def _verified_client(self) -> Client:
        if self.client is None:
            # Actions that disclose or change anything run only after verification.
            raise PermissionError("this operation needs a verified client")
        return self.client

    def _client_actor(self) -> str:
        return f"client:{self._verified_client().id}"

    # --- Appointments -------------------------------------------------------------------

    def next_appointment(self) -> Appointment | None:
        """The verified client's next booked session."""
        return appointments.next_appointment(self._session, self._verified_client().id, self.now)

    def booked_appointment(self, appointment_id: int) -> Appointment | None:
        """The client's session with this id while it is still booked, else None."""
        appointment = self._session.get(Appointment, appointment_id)
        if appointment is None or appointment.client_id != self._verified_client().id:
            return None
        return appointment if appointment.status is AppointmentStatus.BOOKED else None

    def appointment(self, appointment_id: int) -> Appointment:
        """The client's session with this id, whatever its status (for an answer about it)."""
        appointment = self._session.get(Appointment, appointment_id)
        if appointment is None or appointment.client_id != self._verified_client().id:
            raise appointments.AppointmentNotFound(appointment_id)
        return appointment

    def booking_defaults(self) -> appointments.BookingDefaults:
        """Who a new session is with and how it is held, for the verified client."""
        return appointments.booking_defaults(self._session, self._verified_client())

    def open_slots(
        self,
        clinician_id: int,
        *,
        limit: int,
        preference: SlotPreference | None,
        modality: Modality,
        exclude_appointment_id: int | None,
    ) -> list[dt.datetime]:
        return appointments.find_open_slots(
            self._session,
            clinician_id,
            self.now,
            limit=limit,
            preference=preference,
            modality=modality,
            exclude_appointment_id=exclude_appointment_id,
        )

    def reschedule(self, appointment_id: int, new_start: dt.datetime) -> appointments.RescheduleResult:
        self.appointment(appointment_id)  # only the client's own session
        result = appointments.reschedule(
            self._session,
            appointment_id=appointment_id,
            new_start=new_start,
            now=self.now,
            actor=self._client_actor(),
            request_id=self.request_id,
        )
        self._replan_outreach()
        return result

    def book(self, clinician_id: int, starts_at: dt.datetime, modality: Modality) -> Appointment:
        booked = appointments.book(
            self._session,
            client_id=self._verified_client().id,
            clinician_id=clinician_id,
            starts_at=starts_at,
            modality=modality,
            now=self.now,
            request_id=self.request_id,
        )
        self._replan_outreach()
        return booked

    def _replan_outreach(self) -> None:
        """Reminders and follow-ups follow the change at once (the scheduler's minute pass
        would too): a moved session's old reminders cancelled, the new ones planned."""
        self._session.flush()
        outreach.plan_client(self._session, self._verified_client().id, now=self.now)

    def cancel(self, appointment_id: int) -> appointments.CancelResult:
        self.appointment(appointment_id)  # only the client's own session
        result = appointments.cancel(
            self._session,
            appointment_id=appointment_id,
            now=self.now,
            actor=self._client_actor(),
            request_id=self.request_id,
        )
        self._replan_outreach()
        return result

    # --- Answers to an outreach text ------------------------------------------------------

    def reply_context(self) -> outreach_replies.ReplyContext | None:
        """The outreach text (last 48 hours) the verified client's message may answer."""
        if self.client is None:
            return None
        return outreach_replies.reply_context(self._session, self.client.id, now=self.now)

    def confirm(self, context: outreach_replies.ReplyContext) -> Appointment:
        """Confirm the session a reminder was about ("yes see you then"); it must be booked."""
        appointment = context.current
        if appointment is None or appointment.client_id != self._verified_client().id:
            raise appointment_confirmation.NotConfirmable("no booked session to confirm")
        appointment_confirmation.confirm(
            self._session,
            appointment,
            now=self.now,
            actor=self._client_actor(),
            outreach_job_id=context.job.id,
            request_id=self.request_id,
        )
        return appointment

    # --- Links --------------------------------------------------------------------------

    def issue_link(self, purpose: LinkPurpose, *, public_base_url: str, ttl_minutes: int) -> str:
        """A fresh single-use link for the verified client (portal sign-in or card update)."""
        return links.issue_link(
            self._session,
            client=self._verified_client(),
            practice=self.practice,
            purpose=purpose,
            public_base_url=public_base_url,
            ttl_minutes=ttl_minutes,
        )

    def video_link_given(self, appointment: Appointment) -> None:
        """The session's video link was just said to its client (audit; insights count it)."""
        video_links.record_video_link_sent(
            self._session,
            self._verified_client(),
            appointment,
            channel=self.conversation.channel,
            now=self.now,
            request_id=self.request_id,
        )

    # --- Identity -----------------------------------------------------------------------

    def check_name_and_dob(self, full_name: str, date_of_birth: dt.date) -> Client | None:
        """The client these details prove, or None (also while that client's check is locked)."""
        # The action server has no caller address: only the per-client count applies here.
        attempt = identity_guard.Attempt(self.conversation.id, "name_dob", None, self.request_id)
        return identity_guard.check_name_and_dob(
            self._session, self.practice.id, full_name, date_of_birth, attempt, now=self.now
        )

    def verify(self, client: Client) -> None:
        """The conversation is now this client's (the details proved it)."""
        verify_client(self._session, self.conversation, client, method="name_dob", request_id=self.request_id)
        self.conversation.client = client  # the task the check interrupted runs next in this same turn

    def count_verification_failure(self) -> int:
        """One more failed check in this conversation; returns how many so far."""
        return record_verification_failure(self._session, self.conversation)

    # --- Practice questions (no PHI: no verified client needed) ---------------------------

    def practice_answer(self, question: practice_faq.Question, *, phone: bool) -> practice_faq.FaqReply:
        """The practice's answer to `question`, for a screen or a text/call (None text: unanswered)."""
        return practice_faq.reply(self._session, self.practice, question, phone=phone, now=self.now)

    # --- Hand-off -----------------------------------------------------------------------

    def hand_off(
        self,
        reason: HandoffReason,
        *,
        nlu_confidence: float | None,
        top_intents: list[dict[str, Any]],
        context: dict[str, Any],
    ) -> None:
        """Give the conversation to a person, with what the bot knows for the ticket."""
        open_handoff(
            self._session,
            self.conversation,
            reason,
            nlu_confidence=nlu_confidence,
            top_intents=top_intents,
            context=context,
            request_id=self.request_id,
        )

    def handoff_reply(self, wording: str) -> str:
        """The catalog entry `wording` with an honest `{promise}` of when a person answers."""
        return promises.handoff_reply(self.practice, wording, self.now)

    # --- Safety check-in (docs/crisis.md) -------------------------------------------------

    def safety_checked_recently(self) -> bool:
        """The bot asked "are you safe?" a short while ago and was not told "yes"."""
        return safety_check.asked_recently_without_safe_answer(self.conversation, self.now)

    def ask_if_safe(self, resume_intent: str | None) -> None:
        """Remember that the client's next message answers the check-in, and the task to resume."""
        safety_check.ask(self.conversation, resume_intent=resume_intent, now=self.now)

    def forget_safety_check(self) -> None:
        safety_check.forget(self.conversation)
