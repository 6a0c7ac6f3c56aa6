"""One phone call from Twilio's side: each webhook's work in the store, in its own
transaction, returning the TwiML to answer with (routes/voice.py parses and verifies
the webhook, and waits for the bot within the latency budget).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.channels.sms.inbound import practice_for
from assistant.channels.voice import responses, twiml
from assistant.conversation.pipeline import accept
from assistant.logs import get_logger
from assistant.services import calls, voicemail
from assistant.services.conversations import open_handoff
from assistant.store.engine import session_scope
from assistant.store.models import Author, Call, Direction, HandoffReason, Message, MessageStatus, Practice
from assistant.wording.catalog import text
from assistant.wording.voice_render import keypad

log = get_logger("voice.calls")


class CallNotFound(LookupError):
    """A webhook about a call we never answered (or another practice's)."""


@dataclass(frozen=True)
class CallerInput:
    speech: str  # SpeechResult, "" if none
    confidence: float | None  # Twilio's Confidence for the speech
    digits: str  # Digits, "" if none

    @property
    def silent(self) -> bool:
        return not self.speech.strip() and not self.digits


def _call(session: Session, call_sid: str) -> Call:
    call = calls.call_by_sid(session, call_sid)
    if call is None:
        raise CallNotFound(call_sid)
    return call


def answer(
    database_url: str | None, *, call_sid: str, from_number: str | None, to_number: str | None, practice_slug: str
) -> str | None:
    """The incoming call: its conversation, and the greeting; None if no practice is set up."""
    with session_scope(database_url) as session:
        practice: Practice | None = practice_for(session, to_number or "", practice_slug)
        if practice is None:
            return None
        call, created = calls.start_call(
            session, practice, call_sid=call_sid, from_number=from_number, to_number=to_number
        )
        return str(responses.greeting(session, call, first_time=created))


def _keypad_answer(session: Session, call: Call, digits: str) -> str:
    """What a key press means: the choice the last reply offered under that digit, else the
    digits themselves ("2" picks option 2; eight digits are a date of birth)."""
    last = session.scalars(
        select(Message)
        .where(
            Message.conversation_id == call.conversation_id,
            Message.direction == Direction.OUTBOUND,
            Message.author == Author.BOT,
        )
        .order_by(Message.id.desc())
    ).first()
    choices = keypad(last.buttons or []) if last is not None else {}
    return choices.get(digits, digits)


def accept_turn(
    database_url: str | None, *, call_sid: str, turn: int, heard: CallerInput, request_id: str | None
) -> tuple[str, int] | str:
    """Store what the caller said (redacted first, like every message) and return
    (conversation id, message id) to answer; or, when nothing was heard, the TwiML."""
    with session_scope(database_url) as session:
        call = _call(session, call_sid)
        if heard.silent:
            call.silent_turns += 1
            if call.silent_turns >= 2:
                calls.text_back(session, call, "sms.call_silence")
            return str(responses.silence(session, call, turn=turn))
        call.silent_turns = 0
        external_id = f"{call_sid}:{turn}"
        existing = session.scalars(select(Message.id).where(Message.external_id == external_id)).first()
        if existing is not None:  # Twilio asked twice for one turn: answer it once
            return call.conversation_id, existing
        utterance = heard.speech.strip() if heard.speech.strip() else _keypad_answer(session, call, heard.digits)
        confidence = heard.confidence if heard.speech.strip() else None
        try:
            with session.begin_nested():
                message = accept(
                    session,
                    call.conversation_id,
                    utterance,
                    request_id=request_id,
                    external_id=external_id,
                    speech_confidence=confidence,
                )
        except IntegrityError:  # the same turn, accepted by a concurrent request
            found = session.scalars(select(Message.id).where(Message.external_id == external_id)).first()
            assert found is not None
            return call.conversation_id, found
        return call.conversation_id, message.id


def reply(database_url: str | None, *, call_sid: str, turn: int, message_id: int) -> str | None:
    """The TwiML for a finished turn (its queued replies and what comes next); None while
    the caller's message is still unanswered (another process may be answering it)."""
    with session_scope(database_url) as session:
        message = session.get(Message, message_id)
        if message is not None and message.status is MessageStatus.RECEIVED:
            return None
        return str(responses.after_turn(session, _call(session, call_sid), turn=turn))


def give_up_on_bot(database_url: str | None, *, call_sid: str, turn: int) -> str:
    """The bot never answered within the budget: a person or a message, never silence."""
    with session_scope(database_url) as session:
        call = _call(session, call_sid)
        log.error("voice_bot_too_slow", conversation=call.conversation_id)
        session.add(
            Message(
                conversation_id=call.conversation_id,
                direction=Direction.OUTBOUND,
                author=Author.SYSTEM,
                text=text("voice.trouble"),
                status=MessageStatus.QUEUED,
            )
        )
        open_handoff(session, call.conversation, HandoffReason.REPEATED_FAILURE, context={"bot": "too_slow"})
        return str(responses.after_turn(session, call, turn=turn))


def voice_for_call(database_url: str | None, call_sid: str) -> twiml.Voice:
    with session_scope(database_url) as session:
        return responses.voice_of(_call(session, call_sid).practice)


def status(database_url: str | None, *, call_sid: str, reported: str, duration_seconds: int | None) -> None:
    with session_scope(database_url) as session:
        calls.apply_status(session, call_sid, reported, duration_seconds=duration_seconds)


def dial_result(database_url: str | None, *, call_sid: str, dial_status: str) -> str:
    with session_scope(database_url) as session:
        call = _call(session, call_sid)
        answered = calls.record_dial_result(session, call, dial_status)
        return str(responses.after_transfer(session, call, answered))


def recorded(
    database_url: str | None,
    *,
    call_sid: str,
    recording_sid: str,
    recording_url: str,
    seconds: int | None,
    trusted_prefix: str,
) -> str:
    with session_scope(database_url) as session:
        call = _call(session, call_sid)
        url = voicemail.trusted_recording_url(recording_url, trusted_prefix)
        if recording_url and url is None:
            log.warning("voice_recording_url_refused", conversation=call.conversation_id)
        voicemail.record_voicemail(session, call, recording_sid=recording_sid, recording_url=url, seconds=seconds)
        return str(responses.after_message(session, call, left_message=bool(url and seconds)))


def transcribed(database_url: str | None, *, call_sid: str, transcript: str, transcription_status: str) -> str:
    with session_scope(database_url) as session:
        voicemail.record_transcription(session, _call(session, call_sid), transcript, transcription_status)
        return str(twiml.nothing())
