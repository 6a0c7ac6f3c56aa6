"""The practice and its clinicians: hours, settings, weekly availability and time off."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.store.models.base import Base, enum_column


class AvailabilityModality(str, enum.Enum):
    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"
    EITHER = "either"


class Practice(Base):
    __tablename__ = "practices"
    __table_args__ = (
        CheckConstraint("dialogue_retention_days BETWEEN 1 AND 3650", name="ck_practices_dialogue_retention_days"),
    )

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
    # Days the dialogue model's conversation state (message text included) is kept
    # (assistant/services/tracker_retention.py).
    dialogue_retention_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # Whether an SMS client is texted the closing message when a rep resolves (web chat always
    # shows it): off unless the practice turns it on (migration 0012).
    closure_sms_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

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
        enum_column(AvailabilityModality), default=AvailabilityModality.EITHER
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
