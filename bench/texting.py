"""The text channels' clients: web chat turns, SMS webhooks, and Rasa on its own.

"Rasa straight" posts the same texts to Rasa's REST webhook, as the gateway does, but
without the gateway: the baseline the gateway's overhead is read against.  Its senders
are verified chat conversations opened for the purpose, so the actions find a real
conversation and client and do the same look-ups as behind the gateway.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from twilio.request_validator import RequestValidator

from assistant.config import DEMO_TWILIO_ACCOUNT_SID
from assistant.sms_cli import twilio_form
from bench.clients import BenchClient
from bench.load import Recorder, Worker
from bench.voice import PRACTICE_NUMBER

CHAT, SMS, RASA = "web chat turn", "SMS webhook acknowledged", "Rasa straight"


@dataclass(frozen=True)
class ChatSession:
    session_id: str  # also the conversation's id: Rasa's sender
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _ok(response: httpx.Response, what: str) -> httpx.Response:
    if response.status_code >= 300:
        raise RuntimeError(f"{what} answered {response.status_code}")
    return response


def open_chats(base_url: str, clients: Sequence[BenchClient]) -> list[ChatSession]:
    """A verified chat session for each client (name and date of birth, as the widget asks)."""
    with httpx.Client(base_url=base_url, timeout=60) as http:
        opened = []
        for client in clients:
            body = {"name": client.name, "date_of_birth": client.date_of_birth.isoformat()}
            created = _ok(http.post("/api/chat/sessions", json=body), "chat session").json()
            if not created["verified"]:
                raise RuntimeError("a bench client was not verified")
            opened.append(ChatSession(created["session_id"], created["token"]))
        return opened


def chatter(base_url: str, sessions: Sequence[ChatSession], texts: Sequence[str]) -> Worker:
    def work(index: int, recorder: Recorder) -> None:
        chat = sessions[index]
        with httpx.Client(base_url=base_url, timeout=60) as http:
            for text in texts:
                with recorder.timing(CHAT):
                    path = f"/api/chat/sessions/{chat.session_id}/messages"
                    _ok(http.post(path, json={"text": text}, headers=chat.headers), "chat turn")

    return work


def rasa_sender(rasa_url: str, sessions: Sequence[ChatSession], texts: Sequence[str]) -> Worker:
    def work(index: int, recorder: Recorder) -> None:
        sender = sessions[index].session_id
        with httpx.Client(base_url=rasa_url, timeout=60) as http:
            for text in texts:
                with recorder.timing(RASA):
                    _ok(http.post("/webhooks/rest/webhook", json={"sender": sender, "message": text}), "Rasa")

    return work


class _SenderNumbers:
    """A fresh number for every text (+1 555 900 xxxx), so no number hits the per-number limit."""

    def __init__(self) -> None:
        self._next = itertools.count()
        self._lock = threading.Lock()

    def take(self) -> str:
        with self._lock:
            return f"+1555900{next(self._next) % 10_000:04d}"


def texter(base_url: str, auth_token: str, texts: Sequence[str]) -> Worker:
    numbers = _SenderNumbers()

    def work(index: int, recorder: Recorder) -> None:
        with httpx.Client(base_url=base_url, timeout=60) as http:
            for text in texts:
                form = twilio_form(
                    from_number=numbers.take(),
                    to_number=PRACTICE_NUMBER,
                    body=text,
                    account_sid=DEMO_TWILIO_ACCOUNT_SID,
                )
                signature = RequestValidator(auth_token).compute_signature(f"{base_url}/twilio/sms", form)
                with recorder.timing(SMS):
                    _ok(http.post("/twilio/sms", data=form, headers={"X-Twilio-Signature": signature}), "SMS webhook")

    return work
