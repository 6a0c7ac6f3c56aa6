"""Phone calls as Twilio makes them: signed Voice webhooks, TwiML read as XML, every
`<Redirect>` followed (a slow bot's filler), which is what the caller waits through.

A turn is one caller utterance or key entry: one POST to /twilio/voice/gather?turn=N.
Two timings per turn: the first TwiML (the filler when the bot is slower than the
gateway's reply budget; what the caller hears first) and the full reply (after every
redirect).  Calls come from the bench's own clients, who key their date of birth when
asked (after their first request), so turns reach the real look-ups.
"""

from __future__ import annotations

import secrets
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx
from twilio.request_validator import RequestValidator

from assistant.config import DEMO_TWILIO_ACCOUNT_SID
from bench.clients import BenchClient
from bench.load import Recorder, Worker

PRACTICE_NUMBER = "+15555550100"  # the demo practice's number
GATHER = "/twilio/voice/gather"
MAX_REDIRECTS = 20
DATE_OF_BIRTH_DIGITS = "8"  # a <Gather numDigits="8"> asks for the date of birth

ANSWERED, FIRST, FULL = "voice call answered", "voice turn first TwiML", "voice turn full reply"
FILLERS, HANDED_OFF, ENDED_EARLY, TURNS = "filler", "handed_off", "ended_early", "turns"


@dataclass
class Call:
    http: httpx.Client
    public_base_url: str
    auth_token: str
    from_number: str
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    gather: ET.Element | None = None  # the <Gather> the caller is answering, None once it ends

    def _fields(self, **extra: str) -> dict[str, str]:
        # No TWILIO_ACCOUNT_SID in the bench's stack: the gateway expects the demo placeholder.
        form = {
            "CallSid": self.call_sid,
            "AccountSid": DEMO_TWILIO_ACCOUNT_SID,
            "From": self.from_number,
            "To": PRACTICE_NUMBER,
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            "CallStatus": "in-progress",
        }
        form.update(extra)
        return form

    def _post(self, path: str, form: dict[str, str]) -> ET.Element:
        signature = RequestValidator(self.auth_token).compute_signature(f"{self.public_base_url}{path}", form)
        response = self.http.post(path, data=form, headers={"X-Twilio-Signature": signature})
        if response.status_code == 204:
            return ET.Element("Response")
        if response.status_code != 200:
            raise RuntimeError(f"{path.split('?')[0]} answered {response.status_code}")
        return ET.fromstring(response.text)

    def _listen_to(self, root: ET.Element) -> None:
        self.gather = next(iter(root.iter("Gather")), None)

    @property
    def listening(self) -> bool:
        return self.gather is not None and self.gather.get("action", "").startswith(GATHER)

    @property
    def asks_for_date_of_birth(self) -> bool:
        return self.gather is not None and self.gather.get("numDigits") == DATE_OF_BIRTH_DIGITS

    def ring(self, recorder: Recorder) -> None:
        with recorder.timing(ANSWERED):
            root = self._post("/twilio/voice", self._fields(CallStatus="ringing"))
        self._listen_to(root)

    def turn(self, recorder: Recorder, **heard: str) -> None:
        assert self.gather is not None
        started = time.perf_counter()
        root = self._post(self.gather.get("action", ""), self._fields(**heard))
        recorder.add(FIRST, started)
        recorder.counts[TURNS] += 1
        redirect = next(iter(root.iter("Redirect")), None)
        if redirect is not None:
            recorder.counts[FILLERS] += 1
        for _ in range(MAX_REDIRECTS):
            if redirect is None:
                break
            root = self._post(redirect.text or "", self._fields())
            redirect = next(iter(root.iter("Redirect")), None)
        else:
            raise RuntimeError("redirected too often")
        recorder.add(FULL, started)
        self._listen_to(root)
        if root.find(".//Dial") is not None or root.find(".//Record") is not None:
            recorder.counts[HANDED_OFF] += 1  # a person or a message: the bot gave up (or was too slow)

    def hang_up(self) -> None:
        self._post("/twilio/voice/status", self._fields(CallStatus="completed", CallDuration="42"))


def caller(
    base_url: str, auth_token: str, clients: Sequence[BenchClient], script: Sequence[str], calls_each: int
) -> Worker:
    """Worker `index` makes `calls_each` calls in a row from clients[index]'s number."""

    def work(index: int, recorder: Recorder) -> None:
        client = clients[index]
        with httpx.Client(base_url=base_url, timeout=60) as http:
            for _ in range(calls_each):
                call = Call(http, base_url, auth_token, client.mobile)
                call.ring(recorder)
                for words in script:
                    if not call.listening:
                        recorder.counts[ENDED_EARLY] += 1
                        break
                    call.turn(recorder, SpeechResult=words, Confidence="0.91")
                    if call.asks_for_date_of_birth:
                        call.turn(recorder, Digits=client.keyed_date_of_birth)
                call.hang_up()

    return work
