"""Twilio webhooks: inbound texts and delivery status, accepted only when signed by Twilio.

Bodies are capped before they get here (assistant/api/body_limit.py: Twilio's own
limits), so the form is only parsed when it is small enough to be a real webhook.
Delivery reports must also name the practice's Twilio account (`AccountSid`), see
`delivery_status`.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from assistant.api.deps import RequestIdDep, SettingsDep
from assistant.api.schemas.media import TwimlDocument
from assistant.api.twilio_webhooks import SID, SignedForm, form_field, require_practice_account
from assistant.api.types import ascii_int, e164_or_none
from assistant.channels.sms.inbound import InboundSms, accept_sms, practice_for
from assistant.channels.sms.outbox import apply_status_callback
from assistant.logs import get_logger
from assistant.store.engine import session_scope

log = get_logger("api.sms")

router = APIRouter(prefix="/twilio", tags=["sms"])

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_BODY_CHARS = 5000
MAX_MEDIA = 10


def _twiml() -> Response:
    return Response(content=EMPTY_TWIML, media_type="text/xml")


def parse_inbound(form: FormData, idempotency_token: str | None) -> InboundSms:
    sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
    from_number, to_number = str(form.get("From") or ""), str(form.get("To") or "")
    body = str(form.get("Body") or "")  # accept() removes control characters, on every channel
    if not SID.fullmatch(sid) or e164_or_none(from_number) is None or e164_or_none(to_number) is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "MessageSid, From and To (E.164) are required")
    if len(body) > MAX_BODY_CHARS:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "message body too long")
    media_count = ascii_int(str(form.get("NumMedia") or "0"))
    if media_count is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "NumMedia must be a number")
    media = [
        {"url": form_field(form, f"MediaUrl{i}"), "content_type": form_field(form, f"MediaContentType{i}", 255)}
        for i in range(min(media_count, MAX_MEDIA))
    ]
    return InboundSms(
        message_sid=sid,
        from_number=from_number,
        to_number=to_number,
        body=body,
        media=media,
        opt_out_type=form_field(form, "OptOutType", 32) or None,
        idempotency_token=(idempotency_token or None) and idempotency_token[:128],
    )


@router.post("/sms", response_class=TwimlDocument)
async def inbound_sms(request: Request, form: SignedForm, settings: SettingsDep, request_id: RequestIdDep) -> Response:
    sms = parse_inbound(form, request.headers.get("I-Twilio-Idempotency-Token"))

    def persist() -> tuple[int, str] | None:
        with session_scope(settings.database_url) as session:
            practice = practice_for(session, sms.to_number, settings.practice_slug)
            if practice is None:
                raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "no practice is set up")
            session.expunge(practice)
        return accept_sms(practice, sms, request_id=request_id, database_url=settings.database_url)

    accepted = await run_in_threadpool(persist)
    if accepted is not None:  # a redelivery was already accepted: acknowledge, do nothing
        message_id, conversation_id = accepted
        request.app.state.sms.enqueue(conversation_id, message_id)
    # Twilio gets its answer at once; the replies follow through the REST API.
    return _twiml()


@router.post("/status", status_code=status.HTTP_204_NO_CONTENT)
async def delivery_status(form: SignedForm, settings: SettingsDep) -> Response:
    """A delivery report for one of our texts.

    Matched on MessageSid *and* the practice's AccountSid: a signed report for another
    account's message changes nothing and gets 403.  A 4xx rather than a quiet 2xx because
    Twilio does not retry 4xx (only connection failures and, if asked to, 5xx), and a
    refused callback shows in the Twilio console's debugger, where a misconfigured account
    is noticed; a 5xx would be retried for nothing.
    """
    sid, reported = str(form.get("MessageSid") or ""), str(form.get("MessageStatus") or "")
    if not SID.fullmatch(sid) or not reported or len(reported) > 32:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "MessageSid and MessageStatus are required")
    require_practice_account(form, settings, "sms_status")
    error_code = form_field(form, "ErrorCode", 16) or None

    def apply() -> None:
        with session_scope(settings.database_url) as session:
            apply_status_callback(session, sid, reported, error_code)

    await run_in_threadpool(apply)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
