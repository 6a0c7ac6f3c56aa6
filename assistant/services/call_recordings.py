"""A caller's voicemail, played in the rep console: fetched from Twilio by the gateway with
the account's credentials, handed to a signed-in rep of the call's practice, never
published.  Every play is audited ("recording_played").

The stored recording URL is Twilio's (from its webhook), so it is data from outside:
it is only fetched when it points at Twilio's API (or, in tests, at the fake API that
TWILIO_API_BASE_URL names), so the credentials cannot be sent anywhere else.
"""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.logs import get_logger
from assistant.services import audit
from assistant.services.console import ConsoleError, actor
from assistant.store.models import Call, Rep

log = get_logger("call_recordings")

TWILIO_API = "https://api.twilio.com"
# A voicemail is a few minutes of 32 kbit/s MP3 at most: anything far larger is not one.
MAX_RECORDING_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 3
UNAVAILABLE = "Recording not available"


class RecordingUnavailable(ConsoleError):
    status_code = 404


class RecordingFetchFailed(ConsoleError):
    """Twilio did not hand the recording over (an error answer, a timeout)."""

    status_code = 502


def call_for_rep(session: Session, call_id: int, rep: Rep) -> Call:
    """The call, only for a rep of its practice: to anyone else it does not exist."""
    call = session.get(Call, call_id)
    if call is None or call.practice_id != rep.practice_id:
        raise RecordingUnavailable("call not found")
    return call


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def allowed_origins(settings: Settings) -> list[str]:
    """Where recordings may be fetched from: Twilio's API, and the configured stand-in."""
    base = settings.twilio_api_base_url.rstrip("/")
    return [TWILIO_API, base] if base else [TWILIO_API]


def media_url(recording_url: str, settings: Settings) -> str:
    """The MP3 of a stored recording URL, or RecordingUnavailable when it is not Twilio's.

    Checked as a prefix ending in "/" (so "https://api.twilio.com.evil.example" does not
    pass) and again as a parsed origin.  With TWILIO_API_BASE_URL set, Twilio's own host is
    replaced by it, as the SMS client does."""
    for origin in allowed_origins(settings):
        if recording_url.startswith(origin + "/"):
            parsed = httpx.URL(recording_url)
            if _origin(parsed) != _origin(httpx.URL(origin)):
                break
            base = settings.twilio_api_base_url.rstrip("/")
            if base and origin == TWILIO_API:
                recording_url = base + recording_url[len(TWILIO_API) :]
            return recording_url + ".mp3"
    log.warning("recording_url_refused")
    raise RecordingUnavailable(f"{UNAVAILABLE}: its address is not Twilio's, so it is not fetched")


def _redirect_guard(settings: Settings) -> httpx.Client:
    """Twilio may redirect a media request (to its storage); only over https, or to the stand-in."""
    allowed = [_origin(httpx.URL(origin)) for origin in allowed_origins(settings)]

    def check(request: httpx.Request) -> None:
        if request.url.scheme != "https" and _origin(request.url) not in allowed:
            raise RecordingFetchFailed(f"{UNAVAILABLE}: Twilio redirected it somewhere unsafe")

    return httpx.Client(
        auth=(settings.twilio_account_sid, settings.twilio_auth_token),
        timeout=settings.twilio_timeout_seconds,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        event_hooks={"request": [check]},
    )


def _download(url: str, settings: Settings) -> bytes:
    try:
        with _redirect_guard(settings) as http, http.stream("GET", url) as response:
            if response.status_code == httpx.codes.NOT_FOUND:
                raise RecordingUnavailable(f"{UNAVAILABLE}: Twilio no longer has it")
            if response.status_code != httpx.codes.OK:
                log.warning("recording_fetch_failed", status=response.status_code)
                raise RecordingFetchFailed(f"{UNAVAILABLE}: Twilio answered {response.status_code}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_RECORDING_BYTES:
                    raise RecordingFetchFailed(f"{UNAVAILABLE}: it is larger than a voicemail can be")
                chunks.append(chunk)
    except httpx.HTTPError as error:
        log.warning("recording_fetch_failed", error=type(error).__name__)
        raise RecordingFetchFailed(f"{UNAVAILABLE}: Twilio could not be reached") from error
    return b"".join(chunks)


def fetch_recording(
    session: Session, call: Call, rep: Rep, settings: Settings, *, request_id: str | None = None
) -> bytes:
    """The recording's MP3 for `rep` (who must be of the call's practice: `call_for_rep`)."""
    if not call.recording_url:
        raise RecordingUnavailable(f"{UNAVAILABLE}: no message was recorded on this call")
    if not settings.twilio_account_sid:
        raise RecordingUnavailable(f"{UNAVAILABLE}: Twilio is not configured here (demo mode)")
    audio = _download(media_url(call.recording_url, settings), settings)
    audit.record(
        session,
        actor=actor(rep),
        action="recording_played",
        subject_type="conversation",
        subject_id=call.conversation_id,
        details={"call": call.id},
        request_id=request_id,
    )
    log.info("recording_played", call=call.id, size=len(audio))
    return audio
