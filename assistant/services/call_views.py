"""How a phone call looks in the rep console: its status in words reps use (in progress,
completed, missed, voicemail), the transfer, the voicemail, who called back.

Read-only; the console's reads (console_reads) put these into the queue and the transcript.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services.calls import TERMINAL, call_for_conversation
from assistant.services.console_views import CallView, QueueCall, RepRef, iso
from assistant.services.secret_masking import mask_link_shapes
from assistant.store.models import Call, CallStage, Client, Conversation, Rep

CallStatus = Literal["in_progress", "completed", "missed", "voicemail"]

# Twilio's CallStatus / DialCallStatus values for a call (or a transfer) nobody answered.
UNANSWERED = TERMINAL - {"completed"}


def recording_path(call_id: int) -> str:
    """Where the console plays a recording: the gateway, never Twilio's URL."""
    return f"/api/rep/calls/{call_id}/recording"


def call_status(call: Call) -> CallStatus:
    """What reps need first: is the caller still on the line, did they leave a message,
    or did nobody pick up."""
    if call.recording_url:  # only a recording with sound has one (services/voicemail.py)
        return "voicemail"
    over = call.ended_at is not None or call.stage is CallStage.ENDED or (call.twilio_status or "") in TERMINAL
    if not over:
        return "in_progress"
    # Nobody answered the call or the transfer, or the caller hung up at the voicemail tone.
    unanswered = (call.twilio_status or "") in UNANSWERED or (call.dial_status or "") in UNANSWERED
    return "missed" if unanswered or call.recording_sid else "completed"


def call_of(session: Session, conversation: Conversation) -> Call | None:
    """The phone call a voice conversation is (one call, one conversation)."""
    return call_for_conversation(session, conversation.id)


def call_back_number(call: Call, client: Client | None) -> str | None:
    """The number to ring: the one the caller used, else the verified client's mobile on file."""
    return call.from_number or (client.mobile_e164 if client is not None else None)


def call_view(session: Session, conversation: Conversation) -> CallView | None:
    """The call of a voice conversation as the transcript view shows it; None for texts and chats."""
    call = call_of(session, conversation)
    if call is None:
        return None
    client = session.get(Client, conversation.client_id) if conversation.client_id else None
    return view_of_call(session, call, client)


def view_of_call(session: Session, call: Call, client: Client | None) -> CallView:
    """`call` as the transcript view shows it (`client`: the conversation's verified client)."""
    caller_back = session.get(Rep, call.called_back_by_rep_id) if call.called_back_by_rep_id else None
    return CallView(
        id=call.id,
        status=call_status(call),
        from_number=call.from_number,
        call_back_number=call_back_number(call, client),
        started_at=iso(call.started_at),
        ended_at=iso(call.ended_at),
        duration_seconds=call.duration_seconds,
        twilio_status=call.twilio_status,
        dial_target=call.dial_target,
        dial_status=call.dial_status,
        recording_path=recording_path(call.id) if call.recording_url else None,
        recording_seconds=call.recording_seconds,
        # Redacted when stored; links are masked here as well, like any free text reps read.
        transcript=mask_link_shapes(call.transcript) if call.transcript else None,
        transcription_status=call.transcription_status,
        called_back_at=iso(call.called_back_at),
        called_back_by=RepRef(caller_back.id, caller_back.display_name) if caller_back else None,
    )


def queue_calls(session: Session, conversation_ids: list[str]) -> dict[str, QueueCall]:
    """Status and length of the calls among these conversations, for the queue (no words)."""
    if not conversation_ids:
        return {}
    calls = session.scalars(select(Call).where(Call.conversation_id.in_(conversation_ids)))
    return {call.conversation_id: QueueCall(call_status(call), call.duration_seconds) for call in calls}
