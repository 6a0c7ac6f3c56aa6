"""Outreach: reminders and follow-up texts decided on, and the dropped-off worklist's contacts."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.store.models.base import Base, enum_column, utcnow
from assistant.store.models.clients import Appointment, Client


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
    kind: Mapped[OutreachKind] = mapped_column(enum_column(OutreachKind))
    rule: Mapped[str] = mapped_column(String(64))  # e.g. "reminder_48h", "no_show"
    event_key: Mapped[str] = mapped_column(String(160), unique=True)
    due_at: Mapped[dt.datetime] = mapped_column()
    state: Mapped[OutreachState] = mapped_column(enum_column(OutreachState), default=OutreachState.PLANNED)
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
