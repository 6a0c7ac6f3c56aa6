"""A local stand-in for Twilio's REST API, so the real `twilio.rest.Client` can be used
in tests: it records the exact requests the library builds and can be told to fail."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# A few bytes that start like an MP3 (an ID3 tag, then a frame header): what a recording's
# media URL answers with here.
FAKE_MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(413)
RECORDING_MEDIA = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-zA-Z]+)/Recordings/(RE[0-9a-zA-Z]+)\.mp3$")
MESSAGE_LIST = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-zA-Z]+)/Messages\.json$")


def _basic_auth(header: str | None) -> tuple[str, str]:
    user, _, token = base64.b64decode((header or "Basic Og==").split(" ", 1)[1]).decode().partition(":")
    return user, token


@dataclass
class RecordedRequest:
    method: str
    path: str
    form: dict[str, str]
    account_sid: str
    auth_token: str


@dataclass
class Failure:
    status: int = 500
    code: int | None = None
    delay: float = 0.0  # > the client's timeout: a timeout
    # The message is created (Twilio has it and texts the client) before the failure is
    # answered: a timeout or a crash after Twilio accepted, with nothing recorded our side.
    accepted: bool = False


@dataclass
class FakeTwilio:
    requests: list[RecordedRequest] = field(default_factory=list)
    failures: deque[Failure] = field(default_factory=deque)
    # Every message created, as Twilio's Message resource (newest last), and each list query.
    messages: list[dict[str, object]] = field(default_factory=list)
    lookups: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, *failures: Failure) -> None:
        with self.lock:
            self.failures.extend(failures)

    def fetched(self) -> list[RecordedRequest]:
        """The GET requests (recording downloads) received, in order."""
        with self.lock:
            return [r for r in self.requests if r.method == "GET"]

    def sent_to(self, number: str) -> list[RecordedRequest]:
        with self.lock:
            return [r for r in self.requests if r.form.get("To") == number]

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.failures.clear()
            self.messages.clear()
            self.lookups.clear()

    def start(self) -> FakeTwilio:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                user, _, token = (
                    base64.b64decode(self.headers.get("Authorization", "Basic Og==").split(" ", 1)[1])
                    .decode()
                    .partition(":")
                )
                with fake.lock:
                    failure = fake.failures.popleft() if fake.failures else None
                    created = None
                    if failure is None or failure.accepted:
                        fake.requests.append(RecordedRequest("POST", self.path, form, user, token))
                        created = fake._create(form, user)
                if failure is not None:
                    time.sleep(failure.delay)
                    body = {
                        "code": failure.code,
                        "message": "injected failure",
                        "status": failure.status,
                        "more_info": "https://www.twilio.com/docs/errors",
                    }
                    self._reply(failure.status, body)
                    return
                self._reply(201, created or {})

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                """A recording's media (`<RecordingUrl>.mp3`), for the account that owns it, or
                the account's messages (`Messages.json?To=&From=`), newest first."""
                user, token = _basic_auth(self.headers.get("Authorization"))
                url = urlsplit(self.path)
                if MESSAGE_LIST.match(url.path):
                    self._list_messages(user, {k: v[0] for k, v in parse_qs(url.query).items()})
                    return
                with fake.lock:
                    failure = fake.failures.popleft() if fake.failures else None
                    fake.requests.append(RecordedRequest("GET", self.path, {}, user, token))
                if failure is not None:
                    time.sleep(failure.delay)
                    self._reply(failure.status, {"code": failure.code, "message": "injected failure"})
                    return
                media = RECORDING_MEDIA.match(self.path)
                if media is None or media.group(1) != user:
                    self._reply(404, {"code": 20404, "message": "The requested resource was not found"})
                    return
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "audio/mpeg")
                    self.send_header("Content-Length", str(len(FAKE_MP3)))
                    self.end_headers()
                    self.wfile.write(FAKE_MP3)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _list_messages(self, user: str, query: dict[str, str]) -> None:
                with fake.lock:
                    failure = fake.failures.popleft() if fake.failures else None
                    fake.lookups.append(query)
                    found = [
                        message
                        for message in reversed(fake.messages)
                        if message["account_sid"] == user
                        and message["to"] == query.get("To", message["to"])
                        and message["from"] == query.get("From", message["from"])
                    ][: int(query.get("PageSize", "50"))]
                if failure is not None:
                    time.sleep(failure.delay)
                    self._reply(failure.status, {"code": failure.code, "message": "injected failure"})
                    return
                self._reply(200, {"messages": found, "next_page_uri": None, "page": 0, "page_size": len(found)})

            def _reply(self, status: int, body: dict) -> None:
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (an injected timeout)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # shutdown() waits for serve_forever to look up (every poll_interval, 0.5 s by
        # default): a short interval keeps every SMS test's teardown from idling.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def _create(self, form: dict[str, str], account_sid: str) -> dict[str, object]:
        message: dict[str, object] = {
            "sid": "SM" + secrets.token_hex(16),
            "status": "queued",
            "to": form.get("To"),
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form.get("Body"),
            "account_sid": account_sid,
            "num_segments": "1",
            "date_created": format_datetime(dt.datetime.now(dt.UTC), usegmt=True),
        }
        self.messages.append(message)
        return message

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
