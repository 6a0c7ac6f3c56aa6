"""A local stand-in for the Rasa server's REST channel, for gateway tests that need a bot
that answers in a known way, slowly, or not at all (the real model runs in tests/e2e).

`replies` maps what the client says to the bot's reply items; `hold` (an Event) keeps
every answer waiting until the test sets it: a slow bot without sleeping."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeRasa:
    replies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    default: list[dict[str, Any]] = field(default_factory=lambda: [{"text": "How else can I help?"}])
    hold: threading.Event = field(default_factory=threading.Event)
    heard: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    port: int = 0  # a fixed port: the "same" Rasa coming back after an outage

    def __post_init__(self) -> None:
        self.hold.set()  # answering at once unless a test clears it

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeRasa:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if self.path == "/webhooks/rest/webhook":
                    message = str(body.get("message", ""))
                    with fake.lock:
                        fake.heard.append(message)
                    fake.hold.wait(timeout=30)
                    self._reply(200, fake.replies.get(message, fake.default))
                else:  # tracker events (restart)
                    self._reply(200, {})

            def do_GET(self) -> None:  # noqa: N802
                self._reply(200, {"model_file": "fake.tar.gz"})

            def _reply(self, status: int, payload: object) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.hold.set()
            self.server.shutdown()
            self.server.server_close()
