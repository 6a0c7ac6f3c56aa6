"""Phone calls made directly in a test's store, as the voice channel would leave them: a
voice conversation, its caller's words and the bot's, the `calls` row (with a voicemail
recording and transcript unless told otherwise) and, usually, a CALLBACK ticket."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from assistant.services.conversations import open_handoff
from assistant.store.engine import session_scope
from assistant.store.models import (
    Author,
    Call,
    CallStage,
    Channel,
    Conversation,
    Direction,
    HandoffReason,
    Message,
    MessageStatus,
    Practice,
    utcnow,
)

CALLER_WORDS = "hi this is about my appointment on thursday"
LOW_CONFIDENCE = 0.42
VOICEMAIL = "Hi, it's about Thursday. Please call me back this afternoon."


@dataclass(frozen=True)
class StoredCall:
    conversation_id: str
    call_id: int
    recording_url: str | None


def recording_url(api_base: str, account_sid: str) -> str:
    """A recording URL as Twilio sends it (no extension), on `api_base` (Twilio's or a fake's)."""
    return f"{api_base}/2010-04-01/Accounts/{account_sid}/Recordings/RE{secrets.token_hex(16)}"


def store_call(
    database_url: str,
    *,
    from_number: str | None,
    recording: str | None,
    practice_slug: str = "lakeside",
    client_id: int | None = None,
    transcript: str | None = VOICEMAIL,
    callback_ticket: bool = True,
    ended: bool = True,
    dial_status: str | None = "no-answer",
) -> StoredCall:
    """One call, ended after a transfer nobody answered, with a voicemail when `recording`
    is given (a recording URL), and an open CALLBACK ticket unless told not to."""
    now = utcnow()
    started = now - dt.timedelta(minutes=5)
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == practice_slug)).one()
        conversation = Conversation(
            practice_id=practice.id,
            channel=Channel.VOICE,
            address=from_number,
            client_id=client_id,
            created_at=started,
            last_activity_at=now,
        )
        session.add(conversation)
        session.flush()
        session.add_all(
            [
                Message(
                    conversation_id=conversation.id,
                    direction=Direction.INBOUND,
                    author=Author.CLIENT,
                    text=CALLER_WORDS,
                    status=MessageStatus.PROCESSED,
                    speech_confidence=LOW_CONFIDENCE,
                    created_at=started + dt.timedelta(seconds=10),
                ),
                Message(
                    conversation_id=conversation.id,
                    direction=Direction.OUTBOUND,
                    author=Author.BOT,
                    text="Let me put you through to the front desk.",
                    status=MessageStatus.SENT,
                    created_at=started + dt.timedelta(seconds=12),
                ),
            ]
        )
        call = Call(
            call_sid="CA" + secrets.token_hex(16),
            conversation_id=conversation.id,
            practice_id=practice.id,
            from_number=from_number,
            to_number=practice.phone_e164,
            stage=CallStage.ENDED if ended else CallStage.TALKING,
            twilio_status="completed" if ended else "in-progress",
            dial_target="front_desk",
            dial_status=dial_status,
            recording_sid=("RE" + secrets.token_hex(16)) if recording else None,
            recording_url=recording,
            recording_seconds=42 if recording else None,
            transcript=transcript if recording else None,
            transcription_status="completed" if recording and transcript else None,
            started_at=started,
            ended_at=started + dt.timedelta(seconds=95) if ended else None,
            duration_seconds=95 if ended else None,
        )
        session.add(call)
        session.flush()
        if callback_ticket:
            open_handoff(session, conversation, HandoffReason.CALLBACK)
        return StoredCall(conversation.id, call.id, recording)
