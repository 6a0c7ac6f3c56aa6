"""Conversations on any channel, their messages, hand-off tickets, and numbers that must not be texted."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.store.models.base import Base, enum_column, new_uuid, utcnow
from assistant.store.models.clients import Client
from assistant.store.models.practice import Practice

if TYPE_CHECKING:  # calls.py imports this module: the relationship resolves by name
    from assistant.store.models.calls import Call


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
    PRACTICE_QUESTION = "practice_question"  # asked something the practice has not answered yet


class TicketState(str, enum.Enum):
    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class Conversation(Base):
    __tablename__ = "conversations"
    # Insights count a practice's conversations by the day they started (migration 0010) and
    # read its SMS threads alone (0013).
    __table_args__ = (
        Index("ix_conversations_practice_created", "practice_id", "created_at"),
        Index("ix_conversations_practice_channel", "practice_id", "channel"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    # Set only once identity is verified; everything client-specific hangs off it.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(64), index=True)  # SMS: E.164 number
    token_hash: Mapped[str | None] = mapped_column(String(64))  # web chat bearer token (sha256)
    state: Mapped[ConversationState] = mapped_column(
        enum_column(ConversationState), default=ConversationState.BOT, index=True
    )
    verification_failures: Mapped[int] = mapped_column(Integer, default=0)
    # SMS from a number several clients share: who they might be, until the texter says.
    candidate_client_ids: Mapped[list[Any] | None] = mapped_column()
    # A safety check-in ("are you safe right now?") the bot asked after the model, not the
    # rule screen, read a crisis (conversation/crisis_check.py, docs/crisis.md): when, whether
    # the next message answers it, and the task (an intent name) to carry on with if safe.
    safety_check_at: Mapped[dt.datetime | None] = mapped_column()
    safety_check_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    safety_check_resume: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    practice: Mapped[Practice] = relationship()
    client: Mapped[Client | None] = relationship()
    messages: Mapped[list[Message]] = relationship(back_populates="conversation", order_by="Message.id")
    # A phone call's side of the conversation (None for web chat and SMS); loaded once per
    # session, so the voice hooks of one turn share it.
    call: Mapped[Call | None] = relationship(viewonly=True, uselist=False)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # Insights' weekday x hour heatmap of client messages in a period, its practice found
        # through the conversation read from the index itself (0010, widened in 0013).
        Index("ix_messages_author_created_conversation", "author", "created_at", "conversation_id"),
        # A conversation's messages in order (transcripts, SMS contacts, "did the client
        # write?"), the author read from the index itself (0013, replacing the index on
        # conversation_id alone, which is its prefix).
        Index("ix_messages_conversation_created", "conversation_id", "created_at", "author"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction))
    author: Mapped[Author] = mapped_column(enum_column(Author))
    text: Mapped[str] = mapped_column(Text)  # already redacted: never a card number
    # When a text carries a secret (one-time link or code), `text` is the masked copy reps
    # and exports see; this is the client's own delivery copy, blanked once delivered (SMS).
    client_text: Mapped[str | None] = mapped_column(Text)
    buttons: Mapped[list[Any] | None] = mapped_column()
    redactions: Mapped[list[Any] | None] = mapped_column()  # kinds only, e.g. ["card"]
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus), index=True)
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
    # Insights' hand-offs and first replies in a period (migration 0010).
    __table_args__ = (Index("ix_handoff_tickets_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    reason: Mapped[HandoffReason] = mapped_column(enum_column(HandoffReason))
    priority: Mapped[int] = mapped_column(Integer, default=5)  # 0 = most urgent (crisis)
    state: Mapped[TicketState] = mapped_column(enum_column(TicketState), default=TicketState.OPEN, index=True)
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
