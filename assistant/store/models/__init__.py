"""Typed SQLAlchemy models for everything the practice's front desk knows, one module per area.

Migrations (assistant/store/migrations) are the only source of tables; these
classes describe them for the ORM.  Every timestamp is stored in UTC and read
back tz-aware, on SQLite as on PostgreSQL (base.py).

  base.py           Base, UTC timestamps, ids, enums stored as strings
  practice.py       the practice, clinicians, availability
  clients.py        clients, appointments, the card on file
  conversations.py  conversations, messages, hand-off tickets, SMS opt-outs
  one_time.py       verification codes and single-use links
  audit.py          the audit log
  reps.py           reps, console sessions, notes, canned replies
  calls.py          phone calls
  outreach.py       reminder and follow-up texts, the dropped-off worklist
  faq.py            the practice's answers to clients' practice questions
  feedback.py       the client's "Did we help?" answer after a resolution
  insight_days.py   insights' daily roll-ups of settled days

Every model is imported here, so relationships named by string resolve and
`from assistant.store.models import X` works for every model, enum and helper.
"""

from assistant.store.models.audit import AuditEvent
from assistant.store.models.base import Base, UTCDateTime, enum_column, new_uuid, utcnow
from assistant.store.models.calls import Call, CallStage
from assistant.store.models.clients import Appointment, AppointmentStatus, BillingProfile, Client, Modality
from assistant.store.models.conversations import (
    Author,
    Channel,
    Conversation,
    ConversationState,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
    SmsOptOut,
    TicketState,
)
from assistant.store.models.faq import FaqTopic, PracticeFaqAnswer
from assistant.store.models.feedback import ConversationFeedback, FeedbackRating
from assistant.store.models.insight_days import InsightDay, InsightDayCount
from assistant.store.models.one_time import AccessLink, LinkPurpose, VerificationCode
from assistant.store.models.outreach import OutreachContact, OutreachJob, OutreachKind, OutreachState
from assistant.store.models.practice import (
    AvailabilityException,
    AvailabilityModality,
    AvailabilityWindow,
    Clinician,
    Practice,
)
from assistant.store.models.reps import CannedResponse, Rep, RepRole, RepSession, RepSignInFailure, TicketNote

__all__ = [
    "AccessLink",
    "Appointment",
    "AppointmentStatus",
    "AuditEvent",
    "Author",
    "AvailabilityException",
    "AvailabilityModality",
    "AvailabilityWindow",
    "Base",
    "BillingProfile",
    "Call",
    "CallStage",
    "CannedResponse",
    "Channel",
    "Client",
    "Clinician",
    "Conversation",
    "ConversationFeedback",
    "ConversationState",
    "Direction",
    "FaqTopic",
    "FeedbackRating",
    "HandoffReason",
    "HandoffTicket",
    "InsightDay",
    "InsightDayCount",
    "LinkPurpose",
    "Message",
    "MessageStatus",
    "Modality",
    "OutreachContact",
    "OutreachJob",
    "OutreachKind",
    "OutreachState",
    "Practice",
    "PracticeFaqAnswer",
    "Rep",
    "RepRole",
    "RepSession",
    "RepSignInFailure",
    "SmsOptOut",
    "TicketNote",
    "TicketState",
    "UTCDateTime",
    "VerificationCode",
    "enum_column",
    "new_uuid",
    "utcnow",
]
