"""What the console service hands back: typed read models of queues, transcripts and tickets.

Plain dataclasses, so the services layer does not depend on the web framework; the rep API
declares matching response models (assistant/api/schemas/) and FastAPI checks every answer
against them.  Field order is the JSON key order the console's scripts have always seen.
Timestamps are ISO 8601 strings in UTC, formatted here once (`iso`), so the JSON and the
live-update events carry exactly the same text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any


def iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment else None


def as_json(view: Any) -> dict[str, Any]:
    """A view as JSON-ready dicts and lists (for the live-update events)."""
    return dataclasses.asdict(view)


@dataclass(frozen=True)
class RepRef:
    id: int
    display_name: str


@dataclass(frozen=True)
class TicketSummary:
    id: int
    reason: str
    priority: int
    state: str
    created_at: str | None
    reply_due_at: str | None
    claimed_by: RepRef | None
    claimed_at: str | None
    closed_at: str | None


@dataclass(frozen=True)
class TicketDetail(TicketSummary):
    """The summary plus what the bot knew when it handed off."""

    nlu_confidence: float | None
    top_intents: list[Any]
    context: dict[str, Any]


@dataclass(frozen=True)
class QueueClient:
    id: int | None
    label: str
    verified: bool


@dataclass(frozen=True)
class QueueCall:
    """A phone call in the queue: how it went, never what was said."""

    status: str  # "in_progress" | "completed" | "missed" | "voicemail"
    duration_seconds: int | None


@dataclass(frozen=True)
class QueuePreview:
    """The last thing the client wrote, on one line (console_previews.py; showing it is audited)."""

    message_id: int
    text: str


@dataclass(frozen=True)
class QueueItem:
    """One handed-off conversation in the queue: its metadata and the preview of its client's
    last message (the only message text the queue carries)."""

    id: str
    channel: str
    state: str
    client: QueueClient
    ticket: TicketSummary
    waiting_since: str | None
    last_message_id: int
    last_activity_at: str | None
    call: QueueCall | None  # None: not a phone call
    preview: QueuePreview | None  # None: the client has written nothing


@dataclass(frozen=True)
class QueueSnapshot:
    queue: list[QueueItem]
    now: str | None
    response_window_minutes: int
    timezone: str  # the practice's: every time the console shows is on its clock


@dataclass(frozen=True)
class ClientSummary:
    verified: bool
    label: str
    id: int | None = None
    name: str | None = None
    first_name: str | None = None
    mobile: str | None = None
    email: str | None = None
    next_appointment: str | None = None
    # What may be said to the client on this channel (texts may leave the clinician out).
    next_appointment_for_client: str | None = None


@dataclass(frozen=True)
class MessageView:
    id: int
    direction: str
    author: str
    text: str
    buttons: list[Any]
    redactions: list[Any]
    media_count: int
    status: str
    created_at: str | None
    speech_confidence: float | None  # a caller's words: how sure Twilio's speech recognition was
    rep_name: str | None = None  # a rep's message: who sent it (console_authors.py); else None


@dataclass(frozen=True)
class Permissions:
    can_claim: bool
    can_reply: bool
    can_resolve: bool
    claimed_by_me: bool
    can_call_back: bool  # a phone call the rep has claimed: calling back is theirs to do


@dataclass(frozen=True)
class ConversationInfo:
    id: str
    channel: str
    state: str
    created_at: str | None
    last_activity_at: str | None


@dataclass(frozen=True)
class TicketHistoryEntry:
    id: int
    reason: str
    state: str
    created_at: str | None
    closed_at: str | None


@dataclass(frozen=True)
class NoteView:
    id: int
    rep: str
    text: str
    created_at: str | None


@dataclass(frozen=True)
class CannedReply:
    """A canned response with the conversation's variables filled in."""

    id: int
    title: str
    text: str


@dataclass(frozen=True)
class PracticeInfo:
    name: str
    timezone: str
    response_window_minutes: int


@dataclass(frozen=True)
class CallView:
    """The phone call a voice conversation is: how it went, the voicemail, the call back.

    The recording is only ever reached through the gateway (`recording_path`, rep session
    required); Twilio's own URL never leaves the server."""

    id: int
    status: str  # "in_progress" | "completed" | "missed" | "voicemail"
    from_number: str | None  # None: the caller withheld their number
    call_back_number: str | None  # the caller's number, else the verified client's mobile
    started_at: str | None
    ended_at: str | None
    duration_seconds: int | None
    twilio_status: str | None
    dial_target: str | None  # who the caller was put through to: "front_desk" | "on_call"
    dial_status: str | None  # how that went (Twilio's DialCallStatus)
    recording_path: str | None
    recording_seconds: int | None
    transcript: str | None
    transcription_status: str | None
    called_back_at: str | None
    called_back_by: RepRef | None


@dataclass(frozen=True)
class ConversationDetail:
    conversation: ConversationInfo
    call: CallView | None  # None: not a phone call
    client: ClientSummary
    ticket: TicketDetail | None
    tickets: list[TicketHistoryEntry]
    messages: list[MessageView]
    notes: list[NoteView]
    canned_responses: list[CannedReply]
    practice: PracticeInfo
    permissions: Permissions
    now: str | None


@dataclass(frozen=True)
class NewMessages:
    messages: list[MessageView]
    state: str
    permissions: Permissions
