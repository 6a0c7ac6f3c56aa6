"""A rep's reply reaches an open widget stream, and a new hand-off an open console queue:
on PostgreSQL by LISTEN/NOTIFY, with the streams' poll interval set to an hour so that only
a notification can wake them in time; on SQLite by polling (assistant/live/changes.py,
assistant/store/notify.py).

The gateway is a real uvicorn server in this process (the stream is a real HTTP
response); the rep's reply is committed by the services from the test's own session,
as another process's commit would be.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from assistant.api.main import create_app
from assistant.api.routes import rep_conversations
from assistant.config import Settings
from assistant.services import console as ops
from assistant.services.conversations import open_handoff
from assistant.stack import free_port
from assistant.store.engine import session_scope
from assistant.store.models import Conversation, HandoffReason, Rep
from tests.support import backends
from tests.support.reps import OWN_REP_PASSWORD, create_own_rep
from tests.support.sms_gateway import wait_until

database_url = backends.database_url
postgres_demo_template = backends.postgres_demo_template

DEADLINE = 10.0
AN_HOUR = 3600.0


class Gateway:
    def __init__(self, settings: Settings, poll_seconds: float) -> None:
        self.app = create_app(settings)
        self.app.state.chat_stream_poll_seconds = poll_seconds
        self.app.state.chat_stream_listening_poll_seconds = poll_seconds
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gateway:
        self.thread.start()
        wait_until(lambda: self.server.started, DEADLINE)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(DEADLINE)


class OpenStream:
    """The widget's event stream, read in the background: [(event, data)]."""

    def __init__(self, http: httpx.Client, path: str) -> None:
        self.events: list[tuple[str, dict[str, object]]] = []
        self._http, self._path = http, path
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        name = ""
        try:
            with self._http.stream("GET", self._path, timeout=httpx.Timeout(5.0, read=None)) as response:
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        name = line.removeprefix("event: ")
                    elif line.startswith("data: ") and name:
                        self.events.append((name, json.loads(line.removeprefix("data: "))))
                        name = ""
        except httpx.HTTPError:
            pass  # the test is over and closed the client (or stopped the server)

    def texts(self) -> list[object]:
        return [data.get("text") for name, data in list(self.events) if name == "message"]


@pytest.fixture
def gateway(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = Settings(assistant_env="test", database_url=database_url, rasa_url=nowhere, action_server_url=nowhere)
    listening = database_url.startswith("postgresql")
    if listening:
        monkeypatch.setattr(rep_conversations, "EVENT_LISTENING_POLL_SECONDS", AN_HOUR)
    with Gateway(settings, poll_seconds=AN_HOUR if listening else 0.1) as running:
        if listening:
            assert running.app.state.live.wait_listening(DEADLINE)
        yield running


def _rep_takes_over_and_replies(database_url: str, conversation_id: str, words: str) -> None:
    email = create_own_rep(database_url)
    with session_scope(database_url) as session:
        conversation = session.get(Conversation, conversation_id)
        rep = session.scalars(select(Rep).where(Rep.email == email)).one()
        open_handoff(session, conversation, HandoffReason.REQUESTED, context={}, request_id=None)
        ops.claim(session, conversation, rep)
        ops.reply(session, conversation, rep, words)


def test_a_rep_reply_reaches_an_open_widget_stream(gateway: Gateway, database_url: str) -> None:
    with httpx.Client(base_url=gateway.url) as http:
        created = http.post("/api/chat/sessions", json={}).json()
        session_id, auth = created["session_id"], {"Authorization": f"Bearer {created['token']}"}
        minted = http.post(f"/api/chat/sessions/{session_id}/stream-token", headers=auth)
        assert minted.status_code == 200, minted.text
        token = minted.json()["stream_token"]
        stream = OpenStream(http, f"/api/chat/sessions/{session_id}/events?stream_token={token}")
        wait_until(lambda: any(name == "state" for name, _ in stream.events), DEADLINE)  # open and read once

        _rep_takes_over_and_replies(database_url, session_id, "Hi, this is Robin from the front desk.")

        wait_until(lambda: "Hi, this is Robin from the front desk." in stream.texts(), DEADLINE)
        wait_until(lambda: ("state", {"state": "with_rep", "verified": False}) in stream.events, DEADLINE)


def test_a_new_hand_off_reaches_an_open_console_queue(gateway: Gateway, database_url: str) -> None:
    email = create_own_rep(database_url)
    with httpx.Client(base_url=gateway.url) as http:
        signed_in = http.post("/api/rep/login", json={"email": email, "password": OWN_REP_PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        stream = OpenStream(http, "/api/rep/events")
        wait_until(lambda: any(name == "queue" for name, _ in stream.events), DEADLINE)  # open and read once
        created = http.post("/api/chat/sessions", json={}).json()

        with session_scope(database_url) as session:
            conversation = session.get(Conversation, created["session_id"])
            open_handoff(session, conversation, HandoffReason.REQUESTED, context={}, request_id=None)

        def queued() -> bool:
            snapshots = [data for name, data in list(stream.events) if name == "queue"]
            return created["session_id"] in json.dumps(snapshots[-1]) if snapshots else False

        wait_until(queued, DEADLINE)
