"""Typed SQLAlchemy models for everything the practice's front desk knows.

Migrations (assistant/store/migrations) are the only source of tables; these
classes describe them for the ORM.  Every timestamp is stored in UTC and read
back tz-aware, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware datetime stored as UTC; SQLite keeps no offset, so we re-attach it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not accepted by the store; attach a timezone")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


def _enum(cls: type[enum.Enum]) -> Enum:
    # Store enum *values* as plain strings with a CHECK, portable across databases.
    return Enum(
        cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        length=32,
        validate_strings=True,
        name=cls.__name__.lower(),
    )


class Modality(str, enum.Enum):
    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"


class AvailabilityModality(str, enum.Enum):
    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"
    EITHER = "either"


class AppointmentStatus(str, enum.Enum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    LATE_CANCELLED = "late_cancelled"
    RESCHEDULED = "rescheduled"
    NO_SHOW = "no_show"
    COMPLETED = "completed"


class Channel(str, enum.Enum):
    WEB = "web"
    SMS = "sms"
    VOICE = "voice"


class ConversationState(str, enum.Enum):
    BOT = "bot"
    HANDOFF_PENDING = "handoff_pending"
    WITH_REP = "with_rep"
    RESOLVED = "resolved"


class Direction(str, enum.Enum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Author(str, enum.Enum):
    CLIENT = "client"
    BOT = "bot"
    REP = "rep"
    SYSTEM = "system"


class MessageStatus(str, enum.Enum):
    RECEIVED = "received"  # inbound, persisted, not yet handled
    PROCESSED = "processed"  # inbound, handled (bot or rep routing done)
    QUEUED = "queued"  # outbound, waiting for the channel
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"


class HandoffReason(str, enum.Enum):
    LOW_CONFIDENCE = "low_confidence"
    REPEATED_FAILURE = "repeated_failure"
    REQUESTED = "requested"
    BILLING = "billing"
    CRISIS = "crisis"
    VERIFICATION_FAILED = "verification_failed"
    UNKNOWN_NUMBER = "unknown_number"
    PORTAL_HELP = "portal_help"
    SMS_OPT_OUT = "sms_opt_out"  # Twilio opted a client out: a person should follow up
    DELIVERY_FAILED = "delivery_failed"  # a text to the client could not be delivered
    CALLBACK = "callback"  # a caller left a message or nobody could take the call: call them back


class TicketState(str, enum.Enum):
    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class LinkPurpose(str, enum.Enum):
    PORTAL_SIGN_IN = "portal_sign_in"
    BILLING_UPDATE = "billing_update"


class Practice(Base):
    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    # {"mon": [["09:00", "17:00"]], ...}: when a person answers messages.
    business_hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    cancellation_window_hours: Mapped[int] = mapped_column(Integer, default=24)
    late_cancel_fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    response_window_minutes: Mapped[int] = mapped_column(Integer, default=60)
    session_minutes: Mapped[int] = mapped_column(Integer, default=50)
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    oncall_e164: Mapped[str | None] = mapped_column(String(20))
    # Where "update your card" links point; None means the gateway's own secure page.
    billing_update_url: Mapped[str | None] = mapped_column(String(500))
    portal_url: Mapped[str | None] = mapped_column(String(500))
    sms_clinical_details_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Website origins allowed to embed the chat widget (CORS), e.g. ["https://lakeside.example"].
    widget_allowed_origins: Mapped[list[Any] | None] = mapped_column()
    # The phone line: Twilio's voice ("Polly.Joanna", "alice"; None: the default), the
    # greeting a caller hears first (None: the catalog's), and the front-desk numbers a
    # caller who asks for a person is put through to during business hours.
    voice_name: Mapped[str | None] = mapped_column(String(64))
    voice_greeting: Mapped[str | None] = mapped_column(String(500))
    front_desk_numbers: Mapped[list[Any] | None] = mapped_column()
    # Reminders and follow-ups: rules, timings and templates (assistant/outreach/settings.py
    # reads it; None means the defaults).
    outreach_settings: Mapped[dict[str, Any] | None] = mapped_column()

    clinicians: Mapped[list[Clinician]] = relationship(back_populates="practice")


class Clinician(Base):
    __tablename__ = "clinicians"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    office: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    practice: Mapped[Practice] = relationship(back_populates="clinicians")
    availability: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="clinician", cascade="all, delete-orphan"
    )
    exceptions: Mapped[list[AvailabilityException]] = relationship(
        back_populates="clinician", cascade="all, delete-orphan"
    )


class AvailabilityWindow(Base):
    """A recurring weekly window, in the practice's local time."""

    __tablename__ = "availability_windows"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="ck_availability_weekday"),
        CheckConstraint("start_time < end_time", name="ck_availability_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # Monday = 0
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    modality: Mapped[AvailabilityModality] = mapped_column(
        _enum(AvailabilityModality), default=AvailabilityModality.EITHER
    )

    clinician: Mapped[Clinician] = relationship(back_populates="availability")


class AvailabilityException(Base):
    """A date on which the weekly pattern does not hold: time off (whole or partial day)."""

    __tablename__ = "availability_exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"), index=True)
    on_date: Mapped[dt.date] = mapped_column(Date)
    # Both None: the whole day is off.  Otherwise this local-time range is off.
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    reason: Mapped[str | None] = mapped_column(String(200))

    clinician: Mapped[Clinician] = relationship(back_populates="exceptions")


class Client(Base):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    mobile_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    primary_clinician_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))
    sms_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    sms_opted_out_at: Mapped[dt.datetime | None] = mapped_column()
    timezone: Mapped[str | None] = mapped_column(String(64))  # quiet hours; None: the practice's
    outreach_paused_at: Mapped[dt.datetime | None] = mapped_column()  # a rep paused reminders/follow-ups
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    discharged_at: Mapped[dt.datetime | None] = mapped_column()
    session_cadence_days: Mapped[int | None] = mapped_column(Integer)  # 7 weekly, 14 biweekly (reps set it)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    primary_clinician: Mapped[Clinician | None] = relationship()
    billing_profile: Mapped[BillingProfile | None] = relationship(back_populates="client")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="ck_appointment_order"),
        # The database, not the application, guarantees one booked session per
        # clinician per start time: of two clients racing for a slot exactly one wins.
        Index(
            "uq_appointment_clinician_slot_booked",
            "clinician_id",
            "starts_at",
            unique=True,
            postgresql_where=text("status = 'booked'"),
            sqlite_where=text("status = 'booked'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"), index=True)
    starts_at: Mapped[dt.datetime] = mapped_column()
    ends_at: Mapped[dt.datetime] = mapped_column()
    modality: Mapped[Modality] = mapped_column(_enum(Modality))
    location: Mapped[str | None] = mapped_column(String(200))
    telehealth_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[AppointmentStatus] = mapped_column(
        _enum(AppointmentStatus), default=AppointmentStatus.BOOKED, index=True
    )
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    fee_cents: Mapped[int | None] = mapped_column(Integer)  # late-cancel fee charged, if any
    status_changed_at: Mapped[dt.datetime | None] = mapped_column()
    confirmed_at: Mapped[dt.datetime | None] = mapped_column()  # the client confirmed a reminder
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship()
    clinician: Mapped[Clinician] = relationship()
    replaces: Mapped[Appointment | None] = relationship(remote_side=[id])


class BillingProfile(Base):
    """What the practice keeps of a card: never the number, only brand, last 4 and expiry."""

    __tablename__ = "billing_profiles"
    __table_args__ = (
        CheckConstraint("exp_month BETWEEN 1 AND 12", name="ck_billing_exp_month"),
        CheckConstraint("length(card_last4) = 4", name="ck_billing_last4"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), unique=True)
    card_brand: Mapped[str] = mapped_column(String(32))
    card_last4: Mapped[str] = mapped_column(String(4))
    exp_month: Mapped[int] = mapped_column(Integer)
    exp_year: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship(back_populates="billing_profile")


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    # Set only once identity is verified; everything client-specific hangs off it.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(64), index=True)  # SMS: E.164 number
    token_hash: Mapped[str | None] = mapped_column(String(64))  # web chat bearer token (sha256)
    state: Mapped[ConversationState] = mapped_column(
        _enum(ConversationState), default=ConversationState.BOT, index=True
    )
    verification_failures: Mapped[int] = mapped_column(Integer, default=0)
    # SMS from a number several clients share: who they might be, until the texter says.
    candidate_client_ids: Mapped[list[Any] | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    practice: Mapped[Practice] = relationship()
    client: Mapped[Client | None] = relationship()
    messages: Mapped[list[Message]] = relationship(back_populates="conversation", order_by="Message.id")


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    author: Mapped[Author] = mapped_column(_enum(Author))
    text: Mapped[str] = mapped_column(Text)  # already redacted: never a card number
    # When a text carries a secret (one-time link or code), `text` is the masked copy reps
    # and exports see; this is the client's own delivery copy, blanked once delivered (SMS).
    client_text: Mapped[str | None] = mapped_column(Text)
    buttons: Mapped[list[Any] | None] = mapped_column()
    redactions: Mapped[list[Any] | None] = mapped_column()  # kinds only, e.g. ["card"]
    status: Mapped[MessageStatus] = mapped_column(_enum(MessageStatus), index=True)
    request_id: Mapped[str | None] = mapped_column(String(36))
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)  # e.g. MessageSid
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None] = mapped_column()
    # SMS: Twilio's retry token for an inbound webhook, so a redelivery is processed once.
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    media: Mapped[list[Any] | None] = mapped_column()  # inbound MMS media references, kept for reps
    # Outbound delivery (the SMS outbox).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    error_code: Mapped[str | None] = mapped_column(String(16))
    segments: Mapped[int | None] = mapped_column(Integer)
    # One-time codes: once Twilio has the text, the stored copy is blanked (codes are secrets).
    redact_after_send: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Inbound handling: who is answering this message, until when (conversation/lease.py).
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    leased_by: Mapped[str | None] = mapped_column(String(64))
    speech_confidence: Mapped[float | None] = mapped_column(Float)  # a caller's words: Twilio's Confidence

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class HandoffTicket(Base):
    __tablename__ = "handoff_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    reason: Mapped[HandoffReason] = mapped_column(_enum(HandoffReason))
    priority: Mapped[int] = mapped_column(Integer, default=5)  # 0 = most urgent (crisis)
    state: Mapped[TicketState] = mapped_column(_enum(TicketState), default=TicketState.OPEN, index=True)
    nlu_confidence: Mapped[float | None] = mapped_column(Float)
    top_intents: Mapped[list[Any] | None] = mapped_column()
    context: Mapped[dict[str, Any] | None] = mapped_column()  # what the bot already collected
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column()
    # The rep console: who owns the ticket, who closed it, when on-call was texted (crisis).
    claimed_by_rep_id: Mapped[int | None] = mapped_column(ForeignKey("reps.id"))
    claimed_at: Mapped[dt.datetime | None] = mapped_column()
    closed_by_rep_id: Mapped[int | None] = mapped_column(ForeignKey("reps.id"))
    oncall_alerted_at: Mapped[dt.datetime | None] = mapped_column()

    conversation: Mapped[Conversation] = relationship()


class SmsOptOut(Base):
    """A number that must not be texted (STOP, or Twilio reporting an opt-out)."""

    __tablename__ = "sms_opt_outs"

    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), primary_key=True)
    phone_e164: Mapped[str] = mapped_column(String(20), primary_key=True)
    opted_out_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(32))  # "keyword" or "twilio"
    keyword: Mapped[str | None] = mapped_column(String(32))


class VerificationCode(Base):
    """A one-time code texted to the mobile on file; only its hash is kept."""

    __tablename__ = "verification_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    code_hash: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[dt.datetime] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    used_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AccessLink(Base):
    """A single-use, expiring link (portal sign-in, billing update); only its hash is kept."""

    __tablename__ = "access_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(_enum(LinkPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship()


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject_id", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))  # "bot", "client:12", "rep:3", "system"
    action: Mapped[str] = mapped_column(String(100))
    subject_type: Mapped[str] = mapped_column(String(50))
    subject_id: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(36))
    details: Mapped[dict[str, Any] | None] = mapped_column()


class RepRole(str, enum.Enum):
    REP = "rep"
    ADMIN = "admin"


class Rep(Base):
    """A person at the front desk who answers handed-off conversations in the console."""

    __tablename__ = "reps"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id
    role: Mapped[RepRole] = mapped_column(_enum(RepRole), default=RepRole.REP)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Demo accounts (well-known passwords) are refused when ASSISTANT_ENV=production.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RepSession(Base):
    """A signed-in console session; the id is the sha256 of the cookie's token."""

    __tablename__ = "rep_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    rep: Mapped[Rep] = relationship()


class RepSignInFailure(Base):
    """One failed console sign-in, kept for the rate limit (per email and address)."""

    __tablename__ = "rep_sign_in_failures"
    __table_args__ = (Index("ix_rep_sign_in_failures_email_ip", "email", "ip"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class TicketNote(Base):
    """A private note by a rep on a conversation: never sent to the client."""

    __tablename__ = "ticket_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("handoff_tickets.id"))
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    rep: Mapped[Rep] = relationship()


class CannedResponse(Base):
    """A saved reply; {client_first_name} and {next_appointment} are filled per conversation."""

    __tablename__ = "canned_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CallStage(str, enum.Enum):
    """Where a phone call is; what the next thing the caller says is for."""

    CHOOSING_CLIENT = "choosing_client"  # a number several clients share: which person is calling
    CONFIRMING_DOB = "confirming_dob"  # caller ID is on file: the date of birth proves it
    TALKING = "talking"  # with the bot
    TRANSFERRING = "transferring"  # <Dial> to the front desk or on-call
    RECORDING = "recording"  # leaving a message
    ENDED = "ended"


class Call(Base):
    """One phone call (one Twilio CallSid), the voice side of its conversation."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), unique=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    from_number: Mapped[str | None] = mapped_column(String(20))  # None: withheld
    to_number: Mapped[str | None] = mapped_column(String(20))
    stage: Mapped[CallStage] = mapped_column(_enum(CallStage), default=CallStage.TALKING)
    twilio_status: Mapped[str | None] = mapped_column(String(32))  # the latest CallStatus reported
    # The client the caller ID is on file for, until the date of birth confirms it.
    caller_client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    # What the caller asked before proving who they are: answered once they have.
    held_text: Mapped[str | None] = mapped_column(Text)
    misunderstood_turns: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    silent_turns: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bot_helped: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    dial_target: Mapped[str | None] = mapped_column(String(32))  # "front_desk" | "on_call"
    dial_status: Mapped[str | None] = mapped_column(String(32))  # DialCallStatus
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    recording_url: Mapped[str | None] = mapped_column(String(500))  # Twilio's; reps hear it via the gateway
    recording_seconds: Mapped[int | None] = mapped_column(Integer)
    transcript: Mapped[str | None] = mapped_column(Text)  # the voicemail's transcription, redacted
    transcription_status: Mapped[str | None] = mapped_column(String(32))
    missed_text_sent_at: Mapped[dt.datetime | None] = mapped_column()
    called_back_at: Mapped[dt.datetime | None] = mapped_column()
    called_back_by_rep_id: Mapped[int | None] = mapped_column(ForeignKey("reps.id"))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column()
    duration_seconds: Mapped[int | None] = mapped_column(Integer)

    conversation: Mapped[Conversation] = relationship()
    practice: Mapped[Practice] = relationship()


class OutreachKind(str, enum.Enum):
    REMINDER = "reminder"
    BOOKING_CONFIRMATION = "booking_confirmation"
    NO_SHOW = "no_show"
    CANCELLED_NOT_REBOOKED = "cancelled_not_rebooked"
    NO_NEXT_SESSION = "no_next_session"
    DROPPED_OFF_CHECKIN = "dropped_off_checkin"
    MANUAL_CHECKIN = "manual_checkin"  # a rep's one-click check-in from the worklist


class OutreachState(str, enum.Enum):
    PLANNED = "planned"
    SENDING = "sending"  # leased by one gateway process
    SENT = "sent"
    SKIPPED = "skipped"  # a rule or limit said no: `reason` says which
    CANCELLED = "cancelled"  # the event changed (session moved, rebooked) or went stale


class OutreachJob(Base):
    """One text the outreach rules decided on, acted on once (`event_key` is unique)."""

    __tablename__ = "outreach_jobs"
    __table_args__ = (Index("ix_outreach_jobs_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    kind: Mapped[OutreachKind] = mapped_column(_enum(OutreachKind))
    rule: Mapped[str] = mapped_column(String(64))  # e.g. "reminder_48h", "no_show"
    event_key: Mapped[str] = mapped_column(String(160), unique=True)
    due_at: Mapped[dt.datetime] = mapped_column()
    state: Mapped[OutreachState] = mapped_column(_enum(OutreachState), default=OutreachState.PLANNED)
    reason: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    leased_by: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column()  # sent, skipped or cancelled
    replied_at: Mapped[dt.datetime | None] = mapped_column()

    client: Mapped[Client] = relationship()
    appointment: Mapped[Appointment | None] = relationship()


class OutreachContact(Base):
    """The dropped-off worklist's log: a person reached out (or texted a check-in)."""

    __tablename__ = "outreach_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("reps.id"))
    kind: Mapped[str] = mapped_column(String(32))  # "reached_out" | "checkin_texted"
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


__all__ = [name for name in dir() if not name.startswith("_")]
