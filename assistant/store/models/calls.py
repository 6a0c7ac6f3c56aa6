"""Phone calls: one row per Twilio call, the voice side of its conversation."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.store.models.base import Base, enum_column, utcnow
from assistant.store.models.conversations import Conversation
from assistant.store.models.practice import Practice


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
    # Insights' calls in a period (migration 0010).
    __table_args__ = (Index("ix_calls_practice_started", "practice_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), unique=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    from_number: Mapped[str | None] = mapped_column(String(20))  # None: withheld
    to_number: Mapped[str | None] = mapped_column(String(20))
    stage: Mapped[CallStage] = mapped_column(enum_column(CallStage), default=CallStage.TALKING)
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
