"""A caller's voicemail: the recording and its transcript become a call-back ticket.

Twilio reports a recording (Record's `action`) and, later, its transcription
(`transcribeCallback`); either may come twice.  The recording is stored by its
RecordingSid once; its URL only when it is Twilio's own (the console fetches it with
the account's credentials, so a forged URL must never be fetched: no SSRF).  The
transcript is redacted like every other client message before it is stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_sms
from assistant.logs import get_logger
from assistant.screen.redaction import redact
from assistant.services import audit
from assistant.services.conversations import open_handoff, touch
from assistant.services.promises import callback_promise
from assistant.services.sms_opt_outs import is_opted_out
from assistant.store.models import (
    Author,
    Call,
    CallStage,
    Direction,
    HandoffReason,
    Message,
    MessageStatus,
    utcnow,
)
from assistant.wording.catalog import text

log = get_logger("services.voicemail")

TWILIO_API = "https://api.twilio.com/"
PENDING_TRANSCRIPT = "(voicemail, {seconds} s; transcript to follow)"
NO_AUDIO = "(the caller hung up without leaving a message)"


def trusted_recording_url(url: str, extra_prefix: str = "") -> str | None:
    """`url` if it is a Twilio recording we may fetch with our credentials, else None."""
    prefixes = [TWILIO_API] + ([extra_prefix.rstrip("/") + "/"] if extra_prefix else [])
    if url and len(url) <= 500 and any(url.startswith(prefix) for prefix in prefixes) and "/Recordings/" in url:
        return url
    return None


def _voicemail_message(session: Session, call: Call) -> Message | None:
    if call.recording_sid is None:
        return None
    return session.scalars(select(Message).where(Message.external_id == f"voicemail:{call.recording_sid}")).first()


def record_voicemail(
    session: Session,
    call: Call,
    *,
    recording_sid: str,
    recording_url: str | None,
    seconds: int | None,
    now: dt.datetime | None = None,
) -> bool:
    """Store the caller's message and open the call-back ticket; False if already done.

    An empty recording (the caller hung up at the tone) still opens the ticket: the
    caller wanted a person."""
    now = now or utcnow()
    if call.recording_sid is not None:
        return False
    conversation = call.conversation
    has_audio = bool(recording_sid and recording_url and (seconds or 0) > 0)
    call.recording_sid = recording_sid or f"none:{call.call_sid}"
    call.recording_url = recording_url if has_audio else None
    call.recording_seconds = seconds if has_audio else None
    call.stage = CallStage.RECORDING
    session.add(
        Message(
            conversation_id=conversation.id,
            direction=Direction.INBOUND,
            author=Author.CLIENT,
            text=PENDING_TRANSCRIPT.format(seconds=seconds) if has_audio else NO_AUDIO,
            status=MessageStatus.PROCESSED,
            external_id=f"voicemail:{call.recording_sid}",
            created_at=now,
            processed_at=now,
        )
    )
    touch(conversation, now)
    ticket = open_handoff(
        session,
        conversation,
        HandoffReason.CALLBACK,
        context={"voicemail_seconds": seconds if has_audio else 0, "callback_number": call.from_number},
    )
    audit.record(
        session,
        actor="system",
        action="voicemail_left",
        subject_type="conversation",
        subject_id=conversation.id,
        details={"ticket": ticket.id, "seconds": call.recording_seconds},
        at=now,
    )
    _confirm_by_text(session, call, "sms.call_message_received" if has_audio else "sms.call_missed", now)
    log.info("voicemail_left", conversation=conversation.id, seconds=call.recording_seconds)
    return True


def _confirm_by_text(session: Session, call: Call, wording: str, now: dt.datetime) -> None:
    """The caller's phone says the message arrived and when to expect the call (or, with no
    message, that we will call back anyway)."""
    practice, number = call.practice, call.from_number
    if not number or is_opted_out(session, practice.id, number):
        return
    call.missed_text_sent_at = call.missed_text_sent_at or now  # no missed-call text on top of this one
    body = text(wording, practice=practice.name, promise=callback_promise(practice, now))
    send_sms(session, practice.id, number, body)


def record_transcription(session: Session, call: Call, transcript: str, status: str) -> bool:
    """The voicemail's transcription (redacted), once; False if it was already stored."""
    if call.transcription_status is not None:
        return False
    call.transcription_status = status[:32] or "unknown"
    if status != "completed" or not transcript.strip():
        return True
    screened = redact(transcript[:5000])
    call.transcript = screened.text
    message = _voicemail_message(session, call)
    if message is not None:
        message.text = f"Voicemail: {screened.text}"
        message.redactions = list(screened.kinds) or None
    return True
