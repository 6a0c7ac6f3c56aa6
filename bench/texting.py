"""Web chat turns, and the same texts to Rasa on its own (SMS: bench/sms_turns.py).

"Rasa straight" posts the same texts to Rasa's REST webhook, as the gateway does, but
without the gateway: the baseline the gateway's overhead is read against.  Its senders
are verified chat conversations opened for the purpose, so the actions find a real
conversation and client and do the same look-ups as behind the gateway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from assistant.dialogue.replicas import rendezvous_order
from bench.clients import BenchClient
from bench.load import Recorder, Worker

CHAT, RASA = "web chat turn", "Rasa straight"


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


def chatter(gateway_urls: Sequence[str], sessions: Sequence[ChatSession], texts: Sequence[str]) -> Worker:
    """Worker `index` chats in sessions[index], through the gateways in turn (one per worker)."""

    def work(index: int, recorder: Recorder) -> None:
        chat = sessions[index]
        with httpx.Client(base_url=gateway_urls[index % len(gateway_urls)], timeout=60) as http:
            for text in texts:
                with recorder.timing(CHAT):
                    path = f"/api/chat/sessions/{chat.session_id}/messages"
                    _ok(http.post(path, json={"text": text}, headers=chat.headers), "chat turn")

    return work


def rasa_sender(rasa_urls: Sequence[str], sessions: Sequence[ChatSession], texts: Sequence[str]) -> Worker:
    """Each sender goes to the replica the gateway would pick for that conversation."""

    def work(index: int, recorder: Recorder) -> None:
        sender = sessions[index].session_id
        replica = rasa_urls[rendezvous_order(rasa_urls, sender)[0]]
        with httpx.Client(base_url=replica, timeout=60) as http:
            for text in texts:
                with recorder.timing(RASA):
                    _ok(http.post("/webhooks/rest/webhook", json={"sender": sender, "message": text}), "Rasa")

    return work
