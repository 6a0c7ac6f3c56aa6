"""Twilio Voice webhooks: the practice's number answers every call.

    POST /twilio/voice              a call comes in: greeting, and the first <Gather>
    POST /twilio/voice/gather       each caller turn (?turn=N; ?pickup=M&waits=K when
                                    Twilio comes back for a reply the bot was slow with)
    POST /twilio/voice/status       call status callbacks (the call ended: missed-call text)
    POST /twilio/voice/dial-result  how a transfer (<Dial action>) went
    POST /twilio/voice/recording    a voicemail (?event=recorded) and its transcript
                                    (?event=transcribed)

Every one is signed by Twilio for our public URL (api/twilio_webhooks.py) or refused with
403 before anything is stored; each answers within the latency budget
(channels/voice/channel.py).  The work is in channels/voice/calls.py.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from assistant.api.deps import RequestIdDep, SettingsDep
from assistant.api.schemas.media import TwimlDocument
from assistant.api.twilio_webhooks import SID, SignedForm, form_field, require_practice_account
from assistant.api.types import ascii_int, e164_or_none
from assistant.channels.voice import calls as call_flow
from assistant.channels.voice.channel import MAX_WAITS, VoiceChannel
from assistant.channels.voice.twiml import hold_on
from assistant.logs import get_logger
from assistant.wording.catalog import text

log = get_logger("api.voice")

router = APIRouter(prefix="/twilio/voice", tags=["voice"])

MAX_SPEECH_CHARS = 2000
DIGITS = frozenset("0123456789*#")
Turn = Annotated[int, Query(ge=1, le=10_000)]


def _twiml(document: str) -> Response:
    return Response(content=document, media_type="text/xml")


def _call_sid(form: FormData) -> str:
    sid = str(form.get("CallSid") or "")
    if not SID.fullmatch(sid):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "CallSid is required")
    return sid


def _number(form: FormData, name: str) -> str | None:
    """An E.164 number, or None when the caller withheld it ("anonymous", "+266696687"...)."""
    value = str(form.get(name) or "")
    return e164_or_none(value) if value != "+266696687" else None


def _caller_input(form: FormData) -> call_flow.CallerInput:
    speech = form_field(form, "SpeechResult", MAX_SPEECH_CHARS + 1)
    if len(speech) > MAX_SPEECH_CHARS:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "SpeechResult too long")
    digits = str(form.get("Digits") or "")
    if len(digits) > 16 or not set(digits) <= DIGITS:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Digits must be keypad digits")
    try:
        confidence: float | None = float(str(form.get("Confidence") or ""))
    except ValueError:
        confidence = None
    if confidence is not None and not (math.isfinite(confidence) and 0 <= confidence <= 1):
        confidence = None
    return call_flow.CallerInput(speech=speech, confidence=confidence, digits=digits.rstrip("#"))


def _voice(request: Request) -> VoiceChannel:
    channel: VoiceChannel = request.app.state.voice
    return channel


def _not_found() -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, "no such call")


@router.post("", response_class=TwimlDocument)
async def incoming_call(form: SignedForm, settings: SettingsDep) -> Response:
    call_sid = _call_sid(form)
    document = await run_in_threadpool(
        call_flow.answer,
        settings.database_url,
        call_sid=call_sid,
        from_number=_number(form, "From"),
        to_number=_number(form, "To"),
        practice_slug=settings.practice_slug,
    )
    if document is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "no practice is set up")
    return _twiml(document)


@router.post("/gather", response_class=TwimlDocument)
async def caller_turn(
    request: Request,
    form: SignedForm,
    settings: SettingsDep,
    request_id: RequestIdDep,
    turn: Turn = 1,
    pickup: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    waits: Annotated[int, Query(ge=0, le=MAX_WAITS)] = 0,
) -> Response:
    call_sid, database_url = _call_sid(form), settings.database_url
    voice = _voice(request)
    try:
        if pickup is None:
            accepted = await run_in_threadpool(
                call_flow.accept_turn,
                database_url,
                call_sid=call_sid,
                turn=turn,
                heard=_caller_input(form),
                request_id=request_id,
            )
            if isinstance(accepted, str):  # nothing heard: the TwiML for that
                return _twiml(accepted)
            conversation_id, message_id = accepted
        else:
            conversation_id, message_id = "", pickup
        future = voice.start_turn(conversation_id or call_sid, message_id)
        if await voice.wait(future):
            document = await run_in_threadpool(
                call_flow.reply, database_url, call_sid=call_sid, turn=turn, message_id=message_id
            )
            if document is not None:
                return _twiml(document)
        if waits >= MAX_WAITS:
            return _twiml(await run_in_threadpool(call_flow.give_up_on_bot, database_url, call_sid=call_sid, turn=turn))
        spoken_by = await run_in_threadpool(call_flow.voice_for_call, database_url, call_sid)
    except call_flow.CallNotFound:
        raise _not_found() from None
    filler = text("voice.filler" if waits == 0 else "voice.still_working")
    return _twiml(str(hold_on(filler, spoken_by, turn=turn, waiting_for=message_id, waits=waits + 1)))


@router.post("/status", status_code=status.HTTP_204_NO_CONTENT)
async def call_status(form: SignedForm, settings: SettingsDep) -> Response:
    """A call status callback; the final one ends the call (once, whatever the order)."""
    call_sid = _call_sid(form)
    reported = str(form.get("CallStatus") or "")
    if not reported or len(reported) > 32:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "CallStatus is required")
    require_practice_account(form, settings, "voice_status")
    duration = ascii_int(str(form.get("CallDuration") or ""), maximum=7 * 24 * 3600)
    await run_in_threadpool(
        call_flow.status, settings.database_url, call_sid=call_sid, reported=reported, duration_seconds=duration
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/dial-result", response_class=TwimlDocument)
async def dial_result(form: SignedForm, settings: SettingsDep) -> Response:
    call_sid = _call_sid(form)
    dial_status = form_field(form, "DialCallStatus", 32) or "failed"
    try:
        document = await run_in_threadpool(
            call_flow.dial_result, settings.database_url, call_sid=call_sid, dial_status=dial_status
        )
    except call_flow.CallNotFound:
        raise _not_found() from None
    return _twiml(document)


@router.post("/recording", response_class=TwimlDocument)
async def recording(
    form: SignedForm, settings: SettingsDep, event: Literal["recorded", "transcribed"] = "recorded"
) -> Response:
    """Record's `action` (the voicemail is done) or its `transcribeCallback`."""
    call_sid = _call_sid(form)
    recording_sid = str(form.get("RecordingSid") or "")
    if recording_sid and not SID.fullmatch(recording_sid):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "RecordingSid is malformed")
    try:
        if event == "transcribed":
            document = await run_in_threadpool(
                call_flow.transcribed,
                settings.database_url,
                call_sid=call_sid,
                transcript=form_field(form, "TranscriptionText", 5000),
                transcription_status=form_field(form, "TranscriptionStatus", 32),
            )
        else:
            document = await run_in_threadpool(
                call_flow.recorded,
                settings.database_url,
                call_sid=call_sid,
                recording_sid=recording_sid,
                recording_url=form_field(form, "RecordingUrl", 500),
                seconds=ascii_int(str(form.get("RecordingDuration") or ""), maximum=24 * 3600),
                trusted_prefix=settings.twilio_api_base_url,
            )
    except call_flow.CallNotFound:
        raise _not_found() from None
    return _twiml(document)
