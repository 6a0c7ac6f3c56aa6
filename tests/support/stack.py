"""The real running stack as end-to-end tests see it (started by tests/e2e/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from assistant.stack import Stack
from tests.support.fake_twilio import FakeTwilio

TWILIO_ACCOUNT_SID = "AC" + "2" * 32
TWILIO_AUTH_TOKEN = "e2e-twilio-auth-token"


@dataclass
class RunningStack:
    url: str
    database_url: str
    log_dir: Path
    processes: Stack
    twilio: FakeTwilio


class ChatClient:
    """A web chat session driven through the public JSON API, as the widget would."""

    def __init__(self, http: httpx.Client, session_id: str, token: str, verified: bool) -> None:
        self.http, self.session_id, self.token, self.verified = http, session_id, token, verified
        self.state = "bot"

    def send(self, text: str) -> list[dict]:
        response = self.http.post(
            f"/api/chat/sessions/{self.session_id}/messages",
            json={"text": text},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        self.state = body["state"]
        return body["replies"]

    def say(self, text: str) -> str:
        """Send and return all reply texts joined, for assertions."""
        return "\n".join(reply["text"] for reply in self.send(text))
