"""Sending a text through Twilio's REST API with the official client, or recording it locally.

The client is built once per process.  `TWILIO_API_BASE_URL` points the real
client's HTTP layer at another host (the tests' fake Twilio API), so the exact
request the library builds is what gets checked.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import cast

from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from assistant.config import Settings

TWILIO_API_HOST = "https://api.twilio.com"
# How many of a number's newest messages are searched for one a crashed send may have created,
# and how far before the attempt began (clocks differ) its creation time may lie.
LOOKUP_LIMIT = 20
LOOKUP_CLOCK_SLACK = dt.timedelta(minutes=2)
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

    def accepted_like(self, *, to: str, body: str, from_number: str | None, since: dt.datetime) -> list[SendResult]:
        """Texts Twilio accepted that may be an attempt whose answer we never recorded, newest first.

        A send that reached Twilio just before the process died (or whose answer timed out)
        left no SID behind; sending again would text the client twice. So the number's newest
        messages are searched for this body, from this sender, created since the attempt
        began (the caller skips those whose SID it already has: the same words sent twice on
        purpose). Raises TemporaryFailure when Twilio cannot be asked: then we wait, never guess.
        """
        if not self.live:
            return []  # demo mode sent nothing anywhere
        settings = self._settings
        service = settings.twilio_messaging_service_sid
        sender = None if service else (settings.twilio_from_number or from_number)
        try:
            messages = self._get_client().messages
            found = (
                messages.list(to=to, from_=sender, limit=LOOKUP_LIMIT)
                if sender
                else messages.list(to=to, limit=LOOKUP_LIMIT)
            )
        except TwilioRestException as error:
            raise TemporaryFailure(str(error.code or error.status)) from error
        except Exception as error:  # requests' timeouts and connection errors, and the like
            raise TemporaryFailure(type(error).__name__) from error
        earliest = since - LOOKUP_CLOCK_SLACK
        return [
            SendResult(sid=message.sid, status=cast(str | None, message.status) or "queued")
            for message in found
            if message.sid is not None
            and message.body == body
            and (not service or message.messaging_service_sid == service)
            and message.date_created is not None
            and message.date_created >= earliest
        ]
