"""The OpenAPI document the fuzz runs on: the gateway's own, plus what it leaves out.

The document is read from the app itself (`GET /openapi.json`).  FastAPI's document only
knows what the routes declare, so before fuzzing we add what the README promises but the
routes do not declare: the error answers each surface may give and their `{"detail": ...}`
body, the non-JSON media types (pages, event streams, CSV, TwiML), and the form fields
Twilio posts (the webhooks read their form by hand, so FastAPI has no request body to
describe).  Every answer is then checked against this document.
"""

from __future__ import annotations

import copy
from typing import Any

import schemathesis
from fastapi.testclient import TestClient

from assistant.api.main import create_app
from assistant.api.twilio_webhooks import expected_account_sid
from assistant.config import Settings
from tests.fuzz.harness import app_settings

ERROR_BODY = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}
JSON_ERROR = {"description": "Error", "content": {"application/json": {"schema": ERROR_BODY}}}

# Status codes each surface documents (README "Web chat API", "Text messages", "Rep console").
# 413 and 429 anywhere: bodies have a size limit and every surface is throttled.  400 is
# FastAPI's own answer to a body that is not UTF-8 ("There was an error parsing the body").
CHAT_ERRORS = ("400", "401", "403", "404", "413", "422", "429")
TWILIO_ERRORS = ("400", "403", "413", "415", "429")
VOICE_ERRORS = (*TWILIO_ERRORS, "404")  # 404: a callback about a call we never answered
REP_ERRORS = ("400", "401", "403", "404", "409", "413", "415", "422", "429")
PAGE_ERRORS = ("400", "404", "410", "413", "422", "429")  # 410: the link expired or was used

# Fields Twilio posts to the two webhooks (Twilio's "messaging webhook request" reference).
E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
TWILIO_INBOUND_FORM = {
    "type": "object",
    "properties": {
        "MessageSid": {"type": "string", "pattern": r"^SM[0-9a-f]{32}$"},
        "AccountSid": {"type": "string"},  # the practice's account: see describe_documented_behaviour
        "From": {"type": "string", "pattern": E164_PATTERN},
        "To": {"type": "string", "pattern": E164_PATTERN},
        "Body": {"type": "string", "maxLength": 1600},
        "NumMedia": {"type": "string", "pattern": r"^[0-9]{1,2}$"},
        "MediaUrl0": {"type": "string"},
        "MediaContentType0": {"type": "string"},
        "OptOutType": {"enum": ["STOP", "START", "HELP"]},
    },
    "required": ["MessageSid", "AccountSid", "From", "To", "Body"],
}
TWILIO_STATUS_FORM = {
    "type": "object",
    "properties": {
        "MessageSid": {"type": "string", "pattern": r"^SM[0-9a-f]{32}$"},
        "MessageStatus": {"enum": ["queued", "sending", "sent", "delivered", "undelivered", "failed"]},
        "ErrorCode": {"type": "string"},
        "AccountSid": {"type": "string"},
    },
    "required": ["MessageSid", "AccountSid", "MessageStatus"],
}
# Fields Twilio posts to the voice webhooks (Twilio's "voice webhook request" reference:
# the call's own fields on every request, plus each callback's).
TWILIO_VOICE_FORM = {
    "type": "object",
    "properties": {
        "CallSid": {"type": "string", "pattern": r"^CA[0-9a-f]{32}$"},
        "AccountSid": {"type": "string"},
        "From": {"type": "string"},  # E.164, or "anonymous" when withheld
        "To": {"type": "string", "pattern": E164_PATTERN},
        "CallStatus": {
            "enum": ["queued", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled"]
        },
        "CallDuration": {"type": "string"},
        "SpeechResult": {"type": "string", "maxLength": 2000},
        "Confidence": {"type": "string"},
        "Digits": {"type": "string", "pattern": r"^[0-9*#]{0,16}$"},
        "DialCallStatus": {"enum": ["completed", "answered", "busy", "no-answer", "failed", "canceled"]},
        "RecordingSid": {"type": "string", "pattern": r"^RE[0-9a-f]{32}$"},
        "RecordingUrl": {"type": "string"},
        "RecordingDuration": {"type": "string"},
        "TranscriptionText": {"type": "string"},
        "TranscriptionStatus": {"enum": ["completed", "failed"]},
    },
    "required": ["CallSid", "AccountSid", "From", "To"],
}
TWILIO_HEADERS = [
    {"name": "X-Twilio-Signature", "in": "header", "required": False, "schema": {"type": "string"}},
    {"name": "I-Twilio-Idempotency-Token", "in": "header", "required": False, "schema": {"type": "string"}},
]


def _errors_for(path: str) -> tuple[str, ...]:
    if path.startswith("/api/chat/"):
        return CHAT_ERRORS
    if path.startswith("/twilio/voice"):
        return VOICE_ERRORS
    if path.startswith("/twilio/"):
        return TWILIO_ERRORS
    if path.startswith(("/api/rep/", "/console")):
        return REP_ERRORS
    return PAGE_ERRORS


def _event_schema(*names: str) -> dict[str, Any]:
    """One server-sent event (schemathesis checks each event of a stream against it)."""
    return {
        "type": "object",
        "required": ["event", "data"],
        "properties": {"event": {"enum": list(names)}, "data": {"type": "string"}},
    }


CHAT_EVENTS = _event_schema("message", "state", "end")
REP_EVENTS = _event_schema("queue", "signed_out")


def _document_errors(path: str, responses: dict[str, Any]) -> None:
    for status in _errors_for(path):
        # setdefault: what the app documents itself (its 422 body, say) is what it is held to.
        responses.setdefault(status, copy.deepcopy(JSON_ERROR))
    responses.get("204", {}).pop("content", None)  # "No Content"


def _document_media_types(path: str, responses: dict[str, Any]) -> None:
    if path.startswith(("/portal/", "/billing/")):
        # Pages: HTML, errors included; a malformed form is still FastAPI's JSON 422.
        html = {"text/html": {"schema": {"type": "string"}}}
        for status, response in responses.items():
            response["content"] = {**response.get("content", {}), **html} if status == "422" else html
    elif path.endswith("/events"):
        events = CHAT_EVENTS if path.startswith("/api/chat/") else REP_EVENTS
        responses["200"]["content"] = {"text/event-stream": {"schema": events}}
    elif path == "/api/rep/audit.csv":
        responses["200"]["content"] = {"text/csv": {"schema": {"type": "string"}}}
    elif path == "/twilio/sms" or (path.startswith("/twilio/voice") and "200" in responses):
        responses["200"]["content"] = {"text/xml": {"schema": {"type": "string"}}}


def _document_twilio_webhook(path: str, operation: dict[str, Any], account_sid: str) -> None:
    """What the route reads by hand: the form, the signature and the idempotency token."""
    if path.startswith("/twilio/voice"):
        form = copy.deepcopy(TWILIO_VOICE_FORM)
    else:
        form = copy.deepcopy(TWILIO_INBOUND_FORM if path == "/twilio/sms" else TWILIO_STATUS_FORM)
    # Twilio always names the account; the delivery-status webhook refuses any other account's.
    form["properties"]["AccountSid"] = {"const": account_sid}
    operation["requestBody"] = {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": form}}}
    operation.setdefault("parameters", []).extend(copy.deepcopy(TWILIO_HEADERS))
    if path in ("/twilio/status", "/twilio/voice/status"):
        operation["responses"].pop("200", None)
        operation["responses"]["204"] = {"description": "Status recorded"}


def describe_documented_behaviour(document: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The app's document plus what the README promises (see the module docstring)."""
    document = copy.deepcopy(document)
    for path, operations in document["paths"].items():
        for operation in operations.values():
            if path.startswith("/twilio/"):
                _document_twilio_webhook(path, operation, expected_account_sid(settings))
            responses = operation.setdefault("responses", {})
            _document_errors(path, responses)
            _document_media_types(path, responses)
    return document


def gateway_document(settings: Settings) -> dict[str, Any]:
    """`GET /openapi.json` from the app itself (no lifespan, no database is touched)."""
    response = TestClient(create_app(settings)).get("/openapi.json")
    response.raise_for_status()
    return response.json()


def load_schema(*, path_regex: str, exclude_path_regex: str | None = None) -> schemathesis.BaseSchema:
    """The documented operations under `path_regex`, ready for `@schema.parametrize()`."""
    settings = app_settings("sqlite:///unused-by-openapi.db")  # the document needs no database
    schema = schemathesis.openapi.from_dict(describe_documented_behaviour(gateway_document(settings), settings))
    schema.config.update(request_timeout=20)
    schema.config.max_stream_events = 1  # an event stream is cut after its first event
    # Coverage (boundary values) and fuzzing; not the document's own `examples`: schemathesis
    # cannot run those in a test that also draws from `st.data()` (real ids and tokens).
    schema.config.phases.update(phases=["coverage", "fuzzing"])
    schema = schema.include(path_regex=path_regex)
    if exclude_path_regex:
        schema = schema.exclude(path_regex=exclude_path_regex)
    return schema
