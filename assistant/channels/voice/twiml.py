"""The TwiML a call hears, built with the twilio library's `VoiceResponse` (never string
templates: the library escapes what a caller or the catalog says).

Every URL here is a path on our own gateway; Twilio resolves it against the webhook's
URL, and signs the next request for the full public URL (routes/voice.py checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from twilio.twiml.voice_response import VoiceResponse

GATHER = "/twilio/voice/gather"
DIAL_RESULT = "/twilio/voice/dial-result"
RECORDING = "/twilio/voice/recording"

DEFAULT_VOICE = "Polly.Joanna"
LISTEN_SECONDS = 5  # silence before Twilio gives up on a turn (then actionOnEmptyResult)
DIAL_SECONDS = 20  # rings before a transfer counts as not answered
VOICEMAIL_SECONDS = 120


@dataclass(frozen=True)
class Voice:
    """How the practice sounds: Twilio's voice name and the language it speaks."""

    name: str = DEFAULT_VOICE
    language: str = "en-US"


def _url(path: str, **query: str | int) -> str:
    return f"{path}?{urlencode(query)}" if query else path


class _Speaks(Protocol):
    """`VoiceResponse` and `Gather` both nest a <Say> (the library leaves `say` unannotated)."""

    def say(self, message: str, *, voice: str, language: str) -> object: ...


def say(response: _Speaks, sentence: str, voice: Voice) -> None:
    if sentence:
        response.say(sentence, voice=voice.name, language=voice.language)


def listen(
    sentences: Sequence[str],
    voice: Voice,
    *,
    turn: int,
    hints: Sequence[str] = (),
    digits: int | None = None,
) -> VoiceResponse:
    """Say `sentences`, then listen for speech or keys; the answer goes to the gather webhook
    (even an empty one: silence is counted there).  `digits`: how many keys end the turn
    (8 for a date of birth); otherwise one key, or # after several."""
    response = VoiceResponse()
    gather = response.gather(
        input="dtmf speech",
        action=_url(GATHER, turn=turn),
        method="POST",
        timeout=LISTEN_SECONDS,
        speech_timeout="auto",
        speech_model="phone_call",
        enhanced=True,
        hints=", ".join(hints)[:1000] or None,
        action_on_empty_result=True,
        num_digits=digits or 1,
        finish_on_key="#",
        language=voice.language,
    )
    for sentence in sentences:
        say(gather, sentence, voice)
    return response


def hold_on(sentence: str, voice: Voice, *, turn: int, waiting_for: int, waits: int) -> VoiceResponse:
    """A short filler while the bot thinks, then come back for the reply (no dead air)."""
    response = VoiceResponse()
    say(response, sentence, voice)
    response.redirect(_url(GATHER, turn=turn, pickup=waiting_for, waits=waits), method="POST")
    return response


def transfer(
    sentences: Sequence[str], voice: Voice, numbers: Sequence[str], *, target: str, caller_id: str | None
) -> VoiceResponse:
    """Put the caller through (`answerOnBridge`: the caller hears ringing, not a connected
    silence, until someone answers); the outcome comes back to the dial-result webhook."""
    response = VoiceResponse()
    for sentence in sentences:
        say(response, sentence, voice)
    dial = response.dial(
        action=_url(DIAL_RESULT, target=target),
        method="POST",
        timeout=DIAL_SECONDS,
        answer_on_bridge=True,
        caller_id=caller_id,
    )
    for number in numbers:
        dial.number(number)
    return response


def take_message(sentences: Sequence[str], voice: Voice) -> VoiceResponse:
    """Leave a message after the tone; Twilio transcribes it and reports both back."""
    response = VoiceResponse()
    for sentence in sentences:
        say(response, sentence, voice)
    response.record(
        action=_url(RECORDING, event="recorded"),
        method="POST",
        max_length=VOICEMAIL_SECONDS,
        timeout=5,
        trim="trim-silence",
        play_beep=True,
        finish_on_key="#",
        transcribe=True,
        transcribe_callback=_url(RECORDING, event="transcribed"),
    )
    # Record's action answers the call from here on; this only plays if it cannot.
    response.hangup()
    return response


def goodbye(sentences: Sequence[str], voice: Voice) -> VoiceResponse:
    response = VoiceResponse()
    for sentence in sentences:
        say(response, sentence, voice)
    response.pause(length=1)
    response.hangup()
    return response


def nothing() -> VoiceResponse:
    """For callbacks whose TwiML Twilio ignores (transcription) or a call that is over."""
    return VoiceResponse()
