"""Practice questions: the answers a practice wrote for what clients ask (no PHI)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assistant.store.models.base import Base, enum_column, utcnow


class FaqTopic(str, enum.Enum):
    """A question whose answer the practice writes itself (hours, the cancellation policy
    and how to reach a person come from the practice's other settings instead)."""

    ADDRESS = "address"
    PARKING = "parking"
    ACCESSIBILITY = "accessibility"
    INSURANCE = "insurance"
    SELF_PAY = "self_pay"
    FIRST_SESSION = "first_session"
    INTAKE_FORMS = "intake_forms"
    TELEHEALTH = "telehealth"


class PracticeFaqAnswer(Base):
    """One practice's answer to one topic; no row means "not answered" (a person answers)."""

    __tablename__ = "practice_faq_answers"
    __table_args__ = (UniqueConstraint("practice_id", "topic", name="uq_practice_faq_answers_practice_topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    topic: Mapped[FaqTopic] = mapped_column(enum_column(FaqTopic))
    answer: Mapped[str] = mapped_column(Text)
    # https only (the admin API refuses anything else): the forms, a connection test, a map.
    link_url: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_rep_id: Mapped[int | None] = mapped_column(ForeignKey("reps.id"))
