"""The real running stack as end-to-end tests see it (started by tests/e2e/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from assistant.demo import load_demo_data
from assistant.stack import Stack, StackConfig, free_port
from assistant.store.engine import session_scope
from assistant.store.migrate import upgrade
from assistant.training import ensure_model
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


@contextmanager
def running_stack(database_url: str, workdir: Path, twilio: FakeTwilio) -> Iterator[RunningStack]:
    """Rasa, the action server and the gateway on free ports, on `database_url` (migrated and
    given the demo data here), texting through `twilio`; stopped on exit."""
    upgrade(database_url)
    with session_scope(database_url) as session:
        load_demo_data(session)
    gateway_port = free_port()
    config = StackConfig(
        model=ensure_model(),  # reuses the model cached under models/ when inputs are unchanged
        database_url=database_url,
        gateway_port=gateway_port,
        rasa_port=free_port(),
        action_port=free_port(),
        log_dir=workdir / "logs",
        extra_env={
            "ASSISTANT_ENV": "test",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{gateway_port}",
            # Texts really go through twilio.rest.Client, to a local fake API.
            "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
            "TWILIO_API_BASE_URL": twilio.url,
        },
    )
    processes = Stack(config)
    processes.start()
    try:
        yield RunningStack(config.gateway_url, database_url, config.log_dir, processes, twilio)
    finally:
        processes.stop()


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
