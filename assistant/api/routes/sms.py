"""Twilio webhooks: inbound texts and delivery status, accepted only when signed by Twilio."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator

from assistant.api.deps import RequestIdDep, SettingsDep
from assistant.channels.sms.inbound import E164, InboundSms, accept_sms, practice_for
from assistant.channels.sms.outbox import apply_status_callback
from assistant.store.engine import session_scope

router = APIRouter(prefix="/twilio", tags=["sms"])

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_FORM_BYTES = 64 * 1024
MAX_BODY_CHARS = 5000


async def signed_form(request: Request, settings: SettingsDep) -> FormData:
    """The webhook's form, only if Twilio signed it for our public URL (403 otherwise)."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_FORM_BYTES):
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "request too large")
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "expected a form-encoded Twilio webhook")
    form = await request.form()
    signature = request.headers.get("X-Twilio-Signature", "")
    # Behind a reverse proxy the URL Twilio signed is the public one, not the one we see.
    url = f"{settings.public_base_url}{request.url.path}"
    if request.url.query:
        url = f"{url}?{request.url.query}"
    params = {key: str(value) for key, value in form.multi_items()}
    if not signature or not RequestValidator(settings.twilio_auth_token).validate(url, params, signature):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invalid Twilio signature")
    return form


SignedForm = Annotated[FormData, Depends(signed_form)]


def _twiml() -> Response:
    return Response(content=EMPTY_TWIML, media_type="text/xml")


def parse_inbound(form: FormData, idempotency_token: str | None) -> InboundSms:
    sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
    from_number, to_number = str(form.get("From") or ""), str(form.get("To") or "")
    body = str(form.get("Body") or "")
    if not sid or len(sid) > 64 or not E164.match(from_number) or not E164.match(to_number):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "MessageSid, From and To (E.164) are required")
    if len(body) > MAX_BODY_CHARS:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "message body too long")
    try:
        media_count = min(int(form.get("NumMedia") or 0), 10)
    except ValueError:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "NumMedia must be a number") from None
    media = [{"url": str(form.get(f"MediaUrl{i}") or ""), "content_type": str(form.get(f"MediaContentType{i}") or "")}
             for i in range(media_count)]
    return InboundSms(message_sid=sid, from_number=from_number, to_number=to_number, body=body,
                      media=media, opt_out_type=str(form.get("OptOutType") or "") or None,
                      idempotency_token=(idempotency_token or None) and idempotency_token[:128])


@router.post("/sms")
async def inbound_sms(request: Request, form: SignedForm, settings: SettingsDep,
                      request_id: RequestIdDep) -> Response:
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
    sid, reported = str(form.get("MessageSid") or ""), str(form.get("MessageStatus") or "")
    if not sid or not reported:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "MessageSid and MessageStatus are required")
    error_code = str(form.get("ErrorCode") or "") or None

    def apply() -> None:
        with session_scope(settings.database_url) as session:
            apply_status_callback(session, sid, reported, error_code)

    await run_in_threadpool(apply)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
