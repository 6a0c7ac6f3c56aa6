"""Builds a small history row by row, every timestamp given, for metrics with known answers.

A practice of its own (Mon-Fri 09:00-17:00 America/New_York, 60-minute promise), so nothing
any other test makes is counted."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from assistant.services.insights import InsightsWindow
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Author,
    Call,
    Channel,
    Client,
    Clinician,
    Conversation,
    ConversationState,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
    Modality,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
)

ZONE = ZoneInfo("America/New_York")
WEEKDAYS_9_TO_5 = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
_numbers = itertools.count(1)


def at(day: str, clock: str = "10:00") -> dt.datetime:
    """A local New York time ("2026-11-02", "10:00") as aware UTC."""
    local = dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=ZONE)
    return local.astimezone(dt.UTC)


@dataclass
class History:
    session: Session
    practice: Practice
    clinician: Clinician

    @classmethod
    def start(cls, session: Session) -> History:
        slug = f"insights-{uuid.uuid4().hex[:8]}"
        practice = Practice(
            slug=slug,
            name="Insights Test Practice",
            timezone=ZONE.key,
            business_hours=WEEKDAYS_9_TO_5,
            response_window_minutes=60,
        )
        session.add(practice)
        session.flush()
        clinician = Clinician(practice_id=practice.id, display_name="Dr. Test")
        session.add(clinician)
        session.flush()
        return cls(session, practice, clinician)

    def window(self, first: str, last: str, channel: str = "all") -> InsightsWindow:
        return InsightsWindow(dt.date.fromisoformat(first), dt.date.fromisoformat(last), ZONE, channel)  # type: ignore[arg-type]

    def client(self) -> Client:
        number = next(_numbers)
        client = Client(
            practice_id=self.practice.id,
            first_name="Test",
            last_name=f"Client{number}",
            mobile_e164=f"+1555880{number:04d}",
            date_of_birth=dt.date(1990, 1, 1),
        )
        self.session.add(client)
        self.session.flush()
        return client

    def conversation(
        self,
        started: dt.datetime,
        *,
        client: Client | None = None,
        channel: Channel = Channel.WEB,
        last_activity: dt.datetime | None = None,
        client_wrote: bool = True,
        address: str | None = None,
        state: ConversationState = ConversationState.RESOLVED,
    ) -> Conversation:
        conversation = Conversation(
            practice_id=self.practice.id,
            channel=channel,
            client_id=client.id if client else None,
            address=address,
            state=state,
            created_at=started,
            last_activity_at=last_activity or started + dt.timedelta(minutes=5),
        )
        self.session.add(conversation)
        self.session.flush()
        if client_wrote:
            self.message(conversation, started, Author.CLIENT)
        self.message(conversation, started + dt.timedelta(seconds=5), Author.BOT)
        return conversation

    def message(self, conversation: Conversation, when: dt.datetime, author: Author) -> Message:
        inbound = author is Author.CLIENT
        message = Message(
            conversation_id=conversation.id,
            direction=Direction.INBOUND if inbound else Direction.OUTBOUND,
            author=author,
            text="a message",
            status=MessageStatus.PROCESSED if inbound else MessageStatus.SENT,
            created_at=when,
        )
        self.session.add(message)
        self.session.flush()
        return message

    def handoff(
        self, conversation: Conversation, opened: dt.datetime, reason: HandoffReason = HandoffReason.REQUESTED
    ) -> HandoffTicket:
        ticket = HandoffTicket(conversation_id=conversation.id, reason=reason, priority=5, created_at=opened)
        self.session.add(ticket)
        self.session.flush()
        return ticket

    def appointment(
        self,
        client: Client,
        starts: dt.datetime,
        status: AppointmentStatus = AppointmentStatus.COMPLETED,
        *,
        created: dt.datetime | None = None,
        changed: dt.datetime | None = None,
        confirmed: dt.datetime | None = None,
    ) -> Appointment:
        appointment = Appointment(
            practice_id=self.practice.id,
            client_id=client.id,
            clinician_id=self.clinician.id,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=50),
            modality=Modality.IN_PERSON,
            status=status,
            status_changed_at=changed,
            confirmed_at=confirmed,
            created_at=created or starts - dt.timedelta(days=7),
        )
        self.session.add(appointment)
        self.session.flush()
        return appointment

    def outreach(
        self,
        client: Client,
        kind: OutreachKind,
        sent: dt.datetime,
        *,
        appointment: Appointment | None = None,
        message: Message | None = None,
    ) -> OutreachJob:
        job = OutreachJob(
            practice_id=self.practice.id,
            client_id=client.id,
            appointment_id=appointment.id if appointment else None,
            kind=kind,
            rule=kind.value,
            event_key=f"{kind.value}:{uuid.uuid4().hex}",
            due_at=sent,
            state=OutreachState.SENT,
            created_at=sent - dt.timedelta(days=1),
            decided_at=sent,
            message_id=message.id if message else None,
        )
        self.session.add(job)
        self.session.flush()
        return job

    def call(self, started: dt.datetime, **fields: object) -> Call:
        conversation = self.conversation(started, channel=Channel.VOICE, address=str(fields.get("from_number") or ""))
        call = Call(
            call_sid=f"CA{uuid.uuid4().hex}",
            conversation_id=conversation.id,
            practice_id=self.practice.id,
            started_at=started,
            ended_at=started + dt.timedelta(minutes=3),
            **fields,
        )
        self.session.add(call)
        self.session.flush()
        return call
