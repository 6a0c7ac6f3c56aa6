"""Twilio webhooks as Twilio sends them: a form, signed with the account's auth token.

One helper for both kinds of test: the gateway in-process (FastAPI's TestClient) and the
real running stack (an httpx.Client); both take `post(path, data=, headers=)`.
"""

from __future__ import annotations

from typing import Any, Protocol

from twilio.request_validator import RequestValidator

from assistant.sms_cli import twilio_form

PRACTICE_NUMBER = "+15555550100"  # the demo practice's number


class Poster(Protocol):
    def post(self, url: str, *, data: dict[str, str], headers: dict[str, str]) -> Any: ...


def sign(auth_token: str, url: str, form: dict[str, str]) -> str:
    """The X-Twilio-Signature Twilio would send for `form` posted to `url`."""
    return RequestValidator(auth_token).compute_signature(url, form)


def text_form(from_number: str, body: str, *, account_sid: str, to_number: str = PRACTICE_NUMBER) -> dict[str, str]:
    """An inbound text's webhook form, with a fresh MessageSid."""
    return twilio_form(from_number=from_number, to_number=to_number, body=body, account_sid=account_sid)


def post_signed(
    http: Poster,
    form: dict[str, str],
    *,
    auth_token: str,
    path: str,
    signed_url: str,
    signature: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """POST `form` to `path`, signed for `signed_url` (the public URL Twilio signs, which
    differs from `path` when the gateway sits behind a proxy), unless `signature` is given."""
    if signature is None:
        signature = sign(auth_token, signed_url, form)
    return http.post(path, data=form, headers={"X-Twilio-Signature": signature, **(headers or {})})
