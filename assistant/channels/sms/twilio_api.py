"""Sending a text through Twilio's REST API with the official client, or recording it locally.

The client is built once per process.  `TWILIO_API_BASE_URL` points the real
client's HTTP layer at another host (the tests' fake Twilio API), so the exact
request the library builds is what gets checked.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import cast

from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from assistant.config import Settings

TWILIO_API_HOST = "https://api.twilio.com"
# Twilio error codes that will never succeed on retry.
OPTED_OUT = "21610"


class RedirectedHttpClient(TwilioHttpClient):
    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self._base_url = base_url.rstrip("/")

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        return super().request(
            method,
            url.replace(TWILIO_API_HOST, self._base_url, 1),
            params=params,
            data=data,
            headers=headers,
            auth=auth,
            timeout=timeout,
            allow_redirects=allow_redirects,
        )


@dataclass(frozen=True)
class SendResult:
    sid: str
    status: str


class TemporaryFailure(Exception):
    """Worth retrying: timeouts, connection errors, 429 and 5xx."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class PermanentFailure(Exception):
    """Will not succeed on retry (opted out, invalid number, ...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TwilioSender:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: Client | None = None

    @property
    def live(self) -> bool:
        return self._settings.sends_real_sms

    def _get_client(self) -> Client:
        if self._client is None:
            settings = self._settings
            http_client = (
                RedirectedHttpClient(settings.twilio_api_base_url, settings.twilio_timeout_seconds)
                if settings.twilio_api_base_url
                else TwilioHttpClient(timeout=settings.twilio_timeout_seconds)
            )
            self._client = Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http_client)
        return self._client

    def send(self, *, to: str, body: str, from_number: str | None) -> SendResult:
        if not self.live:
            # Demo mode: nothing leaves the machine; `assistant outbox` shows what would have.
            return SendResult(sid=f"SMlocal{secrets.token_hex(13)}", status="sent")
        settings = self._settings
        sender = (
            {"messaging_service_sid": settings.twilio_messaging_service_sid}
            if settings.twilio_messaging_service_sid
            else {"from_": settings.twilio_from_number or from_number}
        )
        try:
            message = self._get_client().messages.create(
                to=to, body=body, status_callback=f"{settings.public_base_url}/twilio/status", **sender
            )
        except TwilioRestException as error:
            code = str(error.code or error.status)
            if error.status == 429 or error.status >= 500:
                raise TemporaryFailure(code) from error
            raise PermanentFailure(code) from error
        except Exception as error:  # requests' timeouts and connection errors, and the like
            raise TemporaryFailure(type(error).__name__) from error
        # twilio's generated MessageInstance types every field as optional and `status` as its
        # class of constants; the payload of a created message has a sid and a plain string.
        return SendResult(sid=cast(str, message.sid), status=cast(str | None, message.status) or "queued")
