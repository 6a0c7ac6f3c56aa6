"""What every Twilio webhook shares: the signed form, and its fields as stored text.

A webhook is accepted only when `X-Twilio-Signature` is Twilio's signature, with the
practice's auth token, of the *public* URL (PUBLIC_BASE_URL: behind a reverse proxy the
URL Twilio signed is not the one we see) plus the form; anything else is 403 and
nothing is stored.  Bodies are capped before they get here (api/body_limit.py).
"""

from __future__ import annotations

import hmac
import re
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator

from assistant.api.deps import SettingsDep
from assistant.config import DEMO_TWILIO_ACCOUNT_SID, Settings
from assistant.logs import get_logger
from assistant.screen.control_chars import strip_control_chars

# Twilio's SIDs are two letters and 32 hex digits; ours for texts recorded locally differ a
# little ("SMlocal..."): ASCII letters and digits, nothing else, bounded.
SID = re.compile(r"[A-Za-z0-9]{2,64}")
log = get_logger("api.twilio")


async def signed_form(request: Request, settings: SettingsDep) -> FormData:
    """The webhook's form, only if Twilio signed it for our public URL (403 otherwise)."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "expected a form-encoded Twilio webhook")
    form = await request.form()
    signature = request.headers.get("X-Twilio-Signature", "")
    url = f"{settings.public_base_url}{request.url.path}"
    if request.url.query:
        url = f"{url}?{request.url.query}"
    params = {key: str(value) for key, value in form.multi_items()}
    if not signature or not RequestValidator(settings.twilio_auth_token).validate(url, params, signature):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "invalid Twilio signature")
    return form


SignedForm = Annotated[FormData, Depends(signed_form)]


def form_field(form: FormData, name: str, limit: int = 2048) -> str:
    """A form field as stored text: control characters (a NUL cannot be stored) removed."""
    return strip_control_chars(str(form.get(name) or ""))[:limit]


def expected_account_sid(settings: Settings) -> str:
    """The Twilio account whose status callbacks we accept.

    With an account configured, only that account's.  In demo and test mode without one,
    nothing is sent through Twilio (texts are recorded locally), so no real report can
    exist: only the placeholder account that `assistant say` / `assistant call` sign with is
    accepted, which keeps local tooling and tests able to simulate a report and refuses
    everything else.
    """
    return settings.twilio_account_sid or DEMO_TWILIO_ACCOUNT_SID


def require_practice_account(form: FormData, settings: Settings, callback: str) -> None:
    """403 unless the callback names the practice's Twilio account (`AccountSid`).  A 4xx,
    not a quiet 2xx: Twilio does not retry 4xx, and the refusal shows in its debugger."""
    account = str(form.get("AccountSid") or "")
    if not hmac.compare_digest(account.encode(), expected_account_sid(settings).encode()):
        log.warning("twilio_callback_wrong_account", callback=callback)
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this callback is not for this practice's Twilio account")
