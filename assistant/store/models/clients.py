"""Clients, their appointments and the card on file."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.store.models.base import Base, enum_column, utcnow
from assistant.store.models.practice import Clinician


class Modality(str, enum.Enum):
    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"


class AppointmentStatus(str, enum.Enum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    LATE_CANCELLED = "late_cancelled"
    RESCHEDULED = "rescheduled"
    NO_SHOW = "no_show"
    COMPLETED = "completed"


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
        # Insights' sessions by status in a period: no-shows, cancellations, retention (migration 0010).
        Index("ix_appointments_practice_status_starts", "practice_id", "status", "starts_at"),
        # A client's sessions in time order ("the next session", retention's "booked after"):
        # migration 0013, replacing the index on client_id alone, its prefix.
        Index("ix_appointments_client_starts", "client_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"), index=True)
    starts_at: Mapped[dt.datetime] = mapped_column()
    ends_at: Mapped[dt.datetime] = mapped_column()
    modality: Mapped[Modality] = mapped_column(enum_column(Modality))
    location: Mapped[str | None] = mapped_column(String(200))
    telehealth_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[AppointmentStatus] = mapped_column(
        enum_column(AppointmentStatus), default=AppointmentStatus.BOOKED, index=True
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
