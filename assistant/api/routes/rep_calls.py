"""Rep API for phone calls: hear a call's recording through the gateway, and record a call
back.  Every route needs a signed-in rep; the call back also the session's CSRF token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response

from assistant.api.deps import (
    CurrentRep,
    RequestIdDep,
    SessionDep,
    SettingsDep,
    get_current_rep,
)
from assistant.api.routes.rep_common import NO_STORE, console_errors, conversation_for
from assistant.api.schemas.media import AudioDocument
from assistant.api.schemas.rep_calls import CallBackPublic, ProblemPublic
from assistant.api.types import DbId, PublicId
from assistant.services import call_backs
from assistant.services import call_recordings as recordings

router = APIRouter(dependencies=[Depends(get_current_rep)])

# Errors are JSON, not audio: spelled out, since a `model` would be documented as audio/mpeg.
_PROBLEM = {"application/json": {"schema": ProblemPublic.model_json_schema()}}
RECORDING_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"audio/mpeg": {"schema": {"type": "string", "format": "binary"}}}},
    404: {"content": _PROBLEM, "description": "No such call in this practice, or no recording to play"},
    502: {"content": _PROBLEM, "description": "Twilio did not hand the recording over"},
}


@router.get("/calls/{call_id}/recording", response_class=AudioDocument, responses=RECORDING_RESPONSES)
def call_recording(
    call_id: DbId, rep: CurrentRep, session: SessionDep, settings: SettingsDep, request_id: RequestIdDep
) -> Response:
    """The voicemail's audio for the console's player (same origin, cookie auth; audited)."""
    with console_errors():
        call = recordings.call_for_rep(session, call_id, rep)
        audio = recordings.fetch_recording(session, call, rep, settings, request_id=request_id)
    return Response(audio, media_type=AudioDocument.media_type, headers=NO_STORE)


@router.post("/conversations/{conversation_id}/call-back", response_model=CallBackPublic)
def call_back(
    conversation_id: PublicId, rep: CurrentRep, session: SessionDep, request_id: RequestIdDep
) -> call_backs.CallBack:
    """Record that the rep is calling the caller back; the ticket stays open until resolved."""
    conversation = conversation_for(session, conversation_id, rep)
    with console_errors():
        return call_backs.record_call_back(session, conversation, rep, request_id=request_id)
