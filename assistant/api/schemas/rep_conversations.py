"""Response models of the rep API's conversation routes (`/api/rep/conversations...`).

They mirror the console service's read models (assistant/services/console_views.py)
field for field and in the same order, which is the JSON the console's scripts read.
"""

from __future__ import annotations

from typing import Any, Literal

from assistant.api.schemas.common import PublicModel, Timestamp
from assistant.store.models import (
    Author,
    Channel,
    ConversationState,
    Direction,
    HandoffReason,
    MessageStatus,
    TicketState,
)


class RepRefPublic(PublicModel):
    id: int
    display_name: str


class TicketSummaryPublic(PublicModel):
    id: int
    reason: HandoffReason
    priority: int
    state: TicketState
    created_at: Timestamp | None
    reply_due_at: Timestamp | None
    claimed_by: RepRefPublic | None
    claimed_at: Timestamp | None
    closed_at: Timestamp | None


class TicketPublic(TicketSummaryPublic):
    """The current (or latest) ticket, with what the bot knew when it handed off."""

    nlu_confidence: float | None
    top_intents: list[Any]
    context: dict[str, Any]


CallStatus = Literal["in_progress", "completed", "missed", "voicemail"]


class QueueCallPublic(PublicModel):
    """A phone call in the queue: how it went, never what was said."""

    status: CallStatus
    duration_seconds: int | None


class QueueClientPublic(PublicModel):
    id: int | None
    label: str
    verified: bool


class QueuePreviewPublic(PublicModel):
    """The client's last message on one line (already redacted and masked); showing it to a
    rep is audited (`message_previewed`, once per rep and message)."""

    message_id: int
    text: str


class QueueItemPublic(PublicModel):
    """A handed-off conversation in the queue: metadata, and a preview of the client's last message."""

    id: str
    channel: Channel
    state: ConversationState
    client: QueueClientPublic
    ticket: TicketSummaryPublic
    waiting_since: Timestamp | None
    last_message_id: int
    last_activity_at: Timestamp | None
    call: QueueCallPublic | None
    preview: QueuePreviewPublic | None  # None: the client has written nothing


class ConversationListPublic(PublicModel):
    conversations: list[QueueItemPublic]
    now: Timestamp
    response_window_minutes: int
    timezone: str  # the practice's (IANA name): the console shows every time on its clock


class ClientSummaryPublic(PublicModel):
    verified: bool
    label: str
    id: int | None
    name: str | None
    first_name: str | None
    mobile: str | None
    email: str | None
    next_appointment: str | None
    next_appointment_for_client: str | None


class MessagePublic(PublicModel):
    id: int
    direction: Direction
    author: Author
    text: str
    buttons: list[Any]
    redactions: list[Any]
    media_count: int
    status: MessageStatus
    created_at: Timestamp | None
    speech_confidence: float | None
    rep_name: str | None = None  # a rep's message: the display name of the rep who sent it


class CallPublic(PublicModel):
    """The phone call a voice conversation is.  `recording_path` is the gateway's route
    (`GET /api/rep/calls/{id}/recording`, rep session required), never Twilio's URL."""

    id: int
    status: CallStatus
    from_number: str | None
    call_back_number: str | None
    started_at: Timestamp | None
    ended_at: Timestamp | None
    duration_seconds: int | None
    twilio_status: str | None
    dial_target: str | None
    dial_status: str | None
    recording_path: str | None
    recording_seconds: int | None
    transcript: str | None
    transcription_status: str | None
    called_back_at: Timestamp | None
    called_back_by: RepRefPublic | None


class PermissionsPublic(PublicModel):
    can_claim: bool
    can_reply: bool
    can_resolve: bool
    claimed_by_me: bool
    can_call_back: bool


class ConversationInfoPublic(PublicModel):
    id: str
    channel: Channel
    state: ConversationState
    created_at: Timestamp | None
    last_activity_at: Timestamp | None


class TicketHistoryEntryPublic(PublicModel):
    id: int
    reason: HandoffReason
    state: TicketState
    created_at: Timestamp | None
    closed_at: Timestamp | None


class NotePublic(PublicModel):
    id: int
    rep: str
    text: str
    created_at: Timestamp | None


class CannedReplyPublic(PublicModel):
    """A canned response with this conversation's variables filled in."""

    id: int
    title: str
    text: str


class PracticeInfoPublic(PublicModel):
    name: str
    timezone: str
    response_window_minutes: int


class ConversationPublic(PublicModel):
    """Everything a rep needs to answer (reading it is audited)."""

    conversation: ConversationInfoPublic
    call: CallPublic | None
    client: ClientSummaryPublic
    ticket: TicketPublic | None
    tickets: list[TicketHistoryEntryPublic]
    messages: list[MessagePublic]
    notes: list[NotePublic]
    canned_responses: list[CannedReplyPublic]
    practice: PracticeInfoPublic
    permissions: PermissionsPublic
    now: Timestamp | None


class NewMessagesPublic(PublicModel):
    messages: list[MessagePublic]
    state: ConversationState
    permissions: PermissionsPublic


class ClaimedTicketPublic(PublicModel):
    id: int
    state: TicketState
    claimed_by: int | None


class ClaimedPublic(PublicModel):
    conversation_id: str
    state: ConversationState
    ticket: ClaimedTicketPublic


class ResolvedTicketPublic(PublicModel):
    id: int
    state: TicketState


class ResolvedPublic(PublicModel):
    conversation_id: str
    state: ConversationState
    ticket: ResolvedTicketPublic
