"""Plays a call's TwiML as Twilio does, posting the webhooks Twilio would post, signed as
Twilio signs them (RequestValidator, the auth token, PUBLIC_BASE_URL + path + query).

<Say> is printed, a <Gather> takes the caller's next line, <Redirect> is followed, and <Dial>
and <Record> are simulated (nothing is dialled or recorded: this never talks to Twilio).  The
call ends with the status callback; a voicemail's transcription comes after it, as from Twilio.
"""

from __future__ import annotations

import secrets
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin

import httpx
from twilio.request_validator import RequestValidator

from assistant.call_cli.caller import Caller, heard_fields

INCOMING, STATUS = "/twilio/voice", "/twilio/voice/status"
API_VERSION = "2010-04-01"
# --dial: how a transfer goes, as Twilio's DialCallStatus ("completed": answered, then hung up).
DIAL_STATUS = {"answered": "completed", "no-answer": "no-answer", "busy": "busy"}
DIAL_HEARD = {
    "answered": "[a person answers; you talk, then they hang up]",
    "no-answer": "[nobody answers]",
    "busy": "[the line is busy]",
}
TALK_SECONDS = 30  # an answered transfer: the caller talks with the person this long (simulated)
MAX_WEBHOOKS = 200  # a TwiML loop (a Redirect to itself) must not run forever


class Answer(Protocol):
    status_code: int

    @property
    def text(self) -> str: ...


class Poster(Protocol):
    def post(self, url: str, *, data: dict[str, str], headers: dict[str, str]) -> Answer: ...


class GatewayDown(RuntimeError):
    """Nothing answers at the gateway's address."""


class GatewayError(RuntimeError):
    """The gateway answered a webhook with a non-2xx status."""

    def __init__(self, path: str, status_code: int, body: str) -> None:
        super().__init__(f"the gateway answered {status_code} to POST {path}: {body[:300]}")
        self.path, self.status_code, self.body = path, status_code, body


class PlayError(RuntimeError):
    """TwiML this player (or Twilio) cannot follow."""


class _CallOver(Exception):
    """Someone hung up."""


@dataclass(frozen=True)
class Webhook:
    path: str  # path and query on the gateway; Twilio signs PUBLIC_BASE_URL + this
    form: dict[str, str]
    signature: str


def parse_twiml(document: str) -> list[ElementTree.Element]:
    """The verbs of a TwiML document, in order (an empty body counts as an empty <Response/>)."""
    if not document.strip():
        return []
    root = ElementTree.fromstring(document)  # our own gateway's answer, not a stranger's XML
    if root.tag != "Response":
        raise PlayError(f"expected TwiML <Response>, got <{root.tag}>")
    return list(root)


@dataclass
class CallPlayer:
    http: Poster
    caller: Caller
    public_base_url: str
    auth_token: str
    account_sid: str
    from_number: str
    to_number: str
    dial: str = "no-answer"  # how a <Dial> goes: a key of DIAL_STATUS
    say: Callable[[str], None] = print
    clock: Callable[[], float] = time.monotonic
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    webhooks: list[Webhook] = field(default_factory=list)  # every request made, in order
    _after_call: list[tuple[str, dict[str, str]]] = field(default_factory=list, init=False)
    _simulated_seconds: int = field(default=0, init=False)

    def fields(self, call_status: str = "in-progress") -> dict[str, str]:
        """What Twilio sends with every webhook of the call."""
        return {
            "CallSid": self.call_sid,
            "AccountSid": self.account_sid,
            "From": self.from_number,
            "To": self.to_number,
            "Caller": self.from_number,
            "Called": self.to_number,
            "CallStatus": call_status,
            "Direction": "inbound",
            "ApiVersion": API_VERSION,
        }

    def sign(self, path: str, form: dict[str, str]) -> str:
        signature: str = RequestValidator(self.auth_token).compute_signature(f"{self.public_base_url}{path}", form)
        return signature

    def post(self, path: str, form: dict[str, str]) -> str:
        if len(self.webhooks) >= MAX_WEBHOOKS:
            raise PlayError(f"more than {MAX_WEBHOOKS} webhooks in one call: is the TwiML looping?")
        webhook = Webhook(path, form, self.sign(path, form))
        self.webhooks.append(webhook)
        try:
            answer = self.http.post(path, data=form, headers={"X-Twilio-Signature": webhook.signature})
        except httpx.TransportError as error:
            raise GatewayDown(str(error)) from error
        if not 200 <= answer.status_code < 300:
            raise GatewayError(path, answer.status_code, answer.text)
        return answer.text

    def play(self) -> str:
        """The whole call, from ringing to the status callback; returns its CallStatus."""
        started = self.clock()
        document = self.post(INCOMING, self.fields("ringing"))
        call_status = "completed"
        try:
            if self.caller.hang_up_after == 0:
                self.say("[you hang up before anyone answers]")
                call_status = "no-answer"
            else:
                self._run(document, INCOMING)
        except GatewayError:
            self.say('[Twilio: "We are sorry, an application error has occurred. Goodbye."]')
            self._end(call_status, started)  # Twilio still reports the end of the call
            raise
        self._end(call_status, started)
        return call_status

    def _end(self, call_status: str, started: float) -> None:
        seconds = int(self.clock() - started) + self._simulated_seconds
        self.post(STATUS, {**self.fields(call_status), "CallDuration": str(seconds)})
        for path, form in self._after_call:  # e.g. the voicemail's transcription
            self.post(path, form)

    def _run(self, document: str, url: str) -> None:
        try:
            while True:
                request = None
                for verb in parse_twiml(document):
                    request = self._perform(verb, url)
                    if request is not None:
                        break
                if request is None:
                    self.say("[the call ends]")  # no more TwiML: Twilio hangs up
                    return
                url, form = request
                document = self.post(url, form)
        except _CallOver:
            return

    def _resolve(self, target: str | None, current: str, method: str | None) -> str:
        """A TwiML URL (relative to the document's own, query string kept) as a gateway path."""
        if (method or "POST").upper() != "POST":
            raise PlayError(f"only POST webhooks are simulated, not {method}")
        absolute = urljoin(f"{self.public_base_url}{current}", (target or "").strip() or current)
        if not absolute.startswith(f"{self.public_base_url}/"):
            raise PlayError(f"the TwiML points away from the gateway ({self.public_base_url}): {absolute}")
        return absolute[len(self.public_base_url) :]

    def _perform(self, verb: ElementTree.Element, url: str) -> tuple[str, dict[str, str]] | None:
        """Play one verb; the next webhook to post if the verb hands the call over."""
        if verb.tag == "Say":
            self.say(f"practice: {''.join(verb.itertext()).strip()}")
        elif verb.tag == "Play":
            self.say("[audio plays]")
        elif verb.tag == "Pause":
            pass
        elif verb.tag == "Gather":
            return self._gather(verb, url)
        elif verb.tag == "Redirect":
            return self._resolve(verb.text, url, verb.get("method")), self.fields()
        elif verb.tag == "Dial":
            return self._dial(verb, url)
        elif verb.tag == "Record":
            return self._record(verb, url)
        elif verb.tag in ("Hangup", "Reject"):
            self.say("[the practice hangs up]")
            raise _CallOver
        else:
            self.say(f"[<{verb.tag}> is not simulated; skipped]")
        return None

    def _hear(self) -> str:
        line = self.caller.next_line()
        if line is None:
            self.say("[you hang up]")
            raise _CallOver
        return line

    def _gather(self, gather: ElementTree.Element, url: str) -> tuple[str, dict[str, str]] | None:
        for nested in gather:  # Say, Play, Pause
            self._perform(nested, url)
        num_digits = gather.get("numDigits")
        heard = heard_fields(
            self._hear(),
            num_digits=int(num_digits) if num_digits else None,
            finish_on_key=gather.get("finishOnKey", "#"),
        )
        listens_for = gather.get("input", "dtmf").split()
        if ("Digits" in heard and "dtmf" not in listens_for) or (
            "SpeechResult" in heard and "speech" not in listens_for
        ):
            heard = {}  # Twilio is not listening for that kind of input
        if not heard and gather.get("actionOnEmptyResult") != "true":
            return None  # Twilio goes on with the next verb
        return self._resolve(gather.get("action"), url, gather.get("method")), {**self.fields(), **heard}

    def _dial(self, dial: ElementTree.Element, url: str) -> tuple[str, dict[str, str]] | None:
        numbers = [(number.text or "").strip() for number in dial] or [(dial.text or "").strip()]
        self.say(f"[dialling {', '.join(numbers)}]")
        dial_status = DIAL_STATUS[self.dial]
        answered = dial_status == "completed"
        self.say(DIAL_HEARD[self.dial])
        form = {**self.fields(), "DialCallStatus": dial_status, "DialCallDuration": "0"}
        if answered:
            self._simulated_seconds += TALK_SECONDS
            form.update(DialCallSid="CA" + secrets.token_hex(16), DialCallDuration=str(TALK_SECONDS))
        if dial.get("action") is None:
            return None  # Twilio goes on with the next verb
        return self._resolve(dial.get("action"), url, dial.get("method")), form

    def _record(self, record: ElementTree.Element, url: str) -> tuple[str, dict[str, str]]:
        self.say("[recording: type the caller's message]")
        line = self.caller.next_line()  # None: the caller hangs up while recording
        words = (line or "").split()
        sid = "RE" + secrets.token_hex(16)
        recording = {
            "RecordingSid": sid,
            "RecordingUrl": f"https://api.twilio.com/{API_VERSION}/Accounts/{self.account_sid}/Recordings/{sid}",
        }
        form = {**self.fields(), **recording, "RecordingDuration": str(len(words) // 2 + 1 if words else 0)}
        transcribe_to = record.get("transcribeCallback")
        if words and transcribe_to and record.get("transcribe", "true") != "false":
            self._after_call.append(
                (
                    self._resolve(transcribe_to, url, "POST"),
                    {
                        **self.fields("completed"),
                        **recording,
                        "TranscriptionSid": "TR" + secrets.token_hex(16),
                        "TranscriptionText": line or "",
                        "TranscriptionStatus": "completed",
                    },
                )
            )
        action = self._resolve(record.get("action"), url, record.get("method"))
        if line is None:
            self.say("[you hang up]")
            # Twilio still reports the recording ("hangup" is what ended it), and ignores the answer.
            self.post(action, {**form, "Digits": "hangup"})
            raise _CallOver
        return action, form
