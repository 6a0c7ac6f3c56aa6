"""Calling the gateway as Twilio does: signed Voice webhooks, TwiML read as XML.

Assertions look at the TwiML's structure (`<Gather>`, `<Dial>`, `<Record>`...), never at
substrings of the document.  `<Redirect>`s (a slow bot's filler) are followed the way
Twilio follows them, so a test sees the TwiML the caller ends up hearing.
"""

from __future__ import annotations

import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from tests.support.twilio import PRACTICE_NUMBER, Poster, post_signed

MAX_REDIRECTS = 20


@dataclass
class Heard:
    """One TwiML document, as a caller hears it."""

    root: ET.Element
    status_code: int = 200

    @property
    def says(self) -> list[str]:
        return [element.text or "" for element in self.root.iter("Say")]

    @property
    def speech(self) -> str:
        return " ".join(self.says)

    def one(self, tag: str) -> ET.Element:
        found = list(self.root.iter(tag))
        assert len(found) == 1, (tag, ET.tostring(self.root, encoding="unicode"))
        return found[0]

    def has(self, tag: str) -> bool:
        return any(True for _ in self.root.iter(tag))

    @property
    def verbs(self) -> list[str]:
        return [child.tag for child in self.root]


@dataclass
class Caller:
    """One call: every webhook carries the same CallSid, From and To."""

    http: Poster
    auth_token: str
    public_base_url: str
    account_sid: str
    from_number: str | None
    to_number: str = PRACTICE_NUMBER
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    next_action: str = ""
    posts: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def fields(self, **extra: str) -> dict[str, str]:
        form = {
            "CallSid": self.call_sid,
            "AccountSid": self.account_sid,
            "From": self.from_number or "anonymous",
            "To": self.to_number,
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            "CallStatus": "in-progress",
        }
        form.update(extra)
        return form

    def post(self, path: str, form: dict[str, str], *, follow: bool = True) -> Heard:
        self.posts.append((path, form))
        response: Any = post_signed(
            self.http, form, auth_token=self.auth_token, path=path, signed_url=f"{self.public_base_url}{path}"
        )
        if response.status_code == 204:
            return Heard(ET.Element("Response"), 204)
        assert response.status_code == 200, (path, response.status_code, response.text)
        assert response.headers["content-type"].startswith("text/xml")
        heard = Heard(ET.fromstring(response.text), response.status_code)
        for _ in range(MAX_REDIRECTS):
            redirect = next(iter(heard.root.iter("Redirect")), None)
            if not follow or redirect is None:
                break
            heard = self.post(redirect.text or "", self.fields(), follow=False)
        else:
            raise AssertionError("redirected too often")
        self._remember(heard)
        return heard

    def _remember(self, heard: Heard) -> None:
        for tag in ("Gather", "Dial", "Record"):
            element = next(iter(heard.root.iter(tag)), None)
            if element is not None:
                self.next_action = element.get("action", "")
                return

    def ring(self) -> Heard:
        return self.post("/twilio/voice", self.fields(CallStatus="ringing"))

    def say(self, words: str, confidence: str = "0.91") -> Heard:
        assert self.next_action.startswith("/twilio/voice/gather"), self.next_action
        return self.post(self.next_action, self.fields(SpeechResult=words, Confidence=confidence))

    def press(self, digits: str) -> Heard:
        assert self.next_action.startswith("/twilio/voice/gather"), self.next_action
        return self.post(self.next_action, self.fields(Digits=digits))

    def stay_silent(self) -> Heard:
        assert self.next_action.startswith("/twilio/voice/gather"), self.next_action
        return self.post(self.next_action, self.fields())

    def dial_ends(self, dial_status: str) -> Heard:
        assert self.next_action.startswith("/twilio/voice/dial-result"), self.next_action
        return self.post(self.next_action, self.fields(DialCallStatus=dial_status, DialCallDuration="0"))

    def leave_message(self, transcript: str, *, seconds: str = "12") -> tuple[Heard, Heard]:
        """Record's action, then its transcription callback (as Twilio sends them)."""
        record_action = self.next_action
        assert record_action.startswith("/twilio/voice/recording"), record_action
        recording_sid = "RE" + secrets.token_hex(16)
        url = f"https://api.twilio.com/2010-04-01/Accounts/{self.account_sid}/Recordings/{recording_sid}"
        done = self.post(
            record_action,
            self.fields(RecordingSid=recording_sid, RecordingUrl=url, RecordingDuration=seconds, Digits="hangup"),
        )
        transcribed = self.post(
            "/twilio/voice/recording?event=transcribed",
            self.fields(RecordingSid=recording_sid, TranscriptionText=transcript, TranscriptionStatus="completed"),
        )
        return done, transcribed

    def hang_up(self, status: str = "completed", duration: str = "42") -> Heard:
        return self.post("/twilio/voice/status", self.fields(CallStatus=status, CallDuration=duration))
