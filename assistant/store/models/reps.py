"""The front desk's people and their console: reps, sign-in sessions and failures, notes, canned replies."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.store.models.base import Base, enum_column, utcnow


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
    role: Mapped[RepRole] = mapped_column(enum_column(RepRole), default=RepRole.REP)
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
