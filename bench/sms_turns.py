"""Full SMS turns: a signed Twilio webhook, then the bot's reply appearing in the outbox.

The webhook only acknowledges (empty TwiML); the reply is worked out afterwards and queued
as an outbound message with the inbound message's request id.  `OutboxWatcher` is one
thread that looks for those replies for every text in flight with one query per poll, so
16 clients waiting cost the store one small read every POLL_SECONDS, not 16.  Its
resolution (POLL_SECONDS) is small beside the turn it times (hundreds of ms).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence

import httpx
from sqlalchemy import and_, create_engine, select
from sqlalchemy.orm import aliased
from twilio.request_validator import RequestValidator

from assistant.config import DEMO_TWILIO_ACCOUNT_SID
from assistant.sms_cli import twilio_form
from assistant.store.models import Direction, Message
from bench.load import Recorder, Worker
from bench.voice import PRACTICE_NUMBER

SMS_TURN, SMS_ACK = "SMS full turn", "SMS webhook acknowledged"
POLL_SECONDS = 0.01
REPLY_DEADLINE_SECONDS = 120.0


class NoReply(RuntimeError):
    """A text the gateway acknowledged was not answered in time: the run's figures would mislead."""


class OutboxWatcher:
    def __init__(self, database_url: str) -> None:
        # AUTOCOMMIT: every poll reads the latest commit and holds no transaction (or SQLite
        # lock) between polls.
        self._engine = create_engine(database_url, isolation_level="AUTOCOMMIT", pool_size=1)
        self._arrived: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="bench-outbox-watcher", daemon=True)
        inbound, reply = aliased(Message), aliased(Message)
        self._inbound, self._reply = inbound, reply
        self._join = and_(
            reply.conversation_id == inbound.conversation_id,
            reply.request_id == inbound.request_id,
            reply.direction == Direction.OUTBOUND,
        )

    def __enter__(self) -> OutboxWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopped.set()
        self._wake.set()
        self._thread.join(timeout=10)
        self._engine.dispose()

    def expect(self, message_sid: str) -> threading.Event:
        """Call before posting the text: the event is set once its reply is in the outbox."""
        with self._lock:
            arrived = self._arrived.setdefault(message_sid, threading.Event())
        self._wake.set()
        return arrived

    def _pending(self) -> list[str]:
        with self._lock:
            return [sid for sid, arrived in self._arrived.items() if not arrived.is_set()]

    def _watch(self) -> None:
        with self._engine.connect() as connection:
            while not self._stopped.is_set():
                pending = self._pending()
                if not pending:
                    self._wake.wait(timeout=1.0)
                    self._wake.clear()
                    continue
                query = (
                    select(self._inbound.external_id)
                    .join(self._reply, self._join)
                    .where(self._inbound.external_id.in_(pending))
                    .distinct()
                )
                answered = {sid for sid in connection.scalars(query) if sid is not None}
                with self._lock:
                    for sid in answered:
                        self._arrived[sid].set()
                time.sleep(POLL_SECONDS)

    def wait_all(self, timeout: float = REPLY_DEADLINE_SECONDS) -> None:
        """Until every text expected so far has its reply (a backlog drained)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            events = list(self._arrived.values())
        for arrived in events:
            if not arrived.wait(timeout=max(0.0, deadline - time.monotonic())):
                raise NoReply(f"{len(self._pending())} acknowledged texts had no reply within {timeout:.0f} s")


def _signed(public_base_url: str, auth_token: str, form: dict[str, str]) -> dict[str, str]:
    # Twilio signs the URL it was configured with (the public one), whichever gateway answers.
    return {"X-Twilio-Signature": RequestValidator(auth_token).compute_signature(f"{public_base_url}/twilio/sms", form)}


def _post(http: httpx.Client, form: dict[str, str], headers: dict[str, str]) -> None:
    response = http.post("/twilio/sms", data=form, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"SMS webhook answered {response.status_code}")


def turns(
    gateway_urls: Sequence[str],
    public_base_url: str,
    auth_token: str,
    numbers: Sequence[str],
    texts: Sequence[str],
    watcher: OutboxWatcher,
) -> Worker:
    """Worker `index` texts from numbers[index] (a client's mobile on file), one text after
    another, each once the previous one's reply is in the outbox, as a person does."""

    def work(index: int, recorder: Recorder) -> None:
        with httpx.Client(base_url=gateway_urls[index % len(gateway_urls)], timeout=60) as http:
            for body in texts:
                form = twilio_form(
                    from_number=numbers[index],
                    to_number=PRACTICE_NUMBER,
                    body=body,
                    account_sid=DEMO_TWILIO_ACCOUNT_SID,
                )
                headers = _signed(public_base_url, auth_token, form)
                arrived = watcher.expect(form["MessageSid"])
                started = time.perf_counter()
                _post(http, form, headers)
                recorder.add(SMS_ACK, started)
                if not arrived.wait(timeout=REPLY_DEADLINE_SECONDS):
                    raise NoReply("an acknowledged text had no reply in the outbox")
                recorder.add(SMS_TURN, started)

    return work


class _FreshNumbers:
    """A new number for every text (+1 555 900 xxxx): no number reaches the per-number limit."""

    def __init__(self) -> None:
        self._next = itertools.count()
        self._lock = threading.Lock()

    def take(self) -> str:
        with self._lock:
            return f"+1555900{next(self._next) % 10_000:04d}"


def acknowledgements(
    gateway_urls: Sequence[str], public_base_url: str, auth_token: str, texts: Sequence[str], watcher: OutboxWatcher
) -> Worker:
    """The webhook alone: each worker posts its texts back to back without waiting for the
    replies, which are worked out meanwhile (so the ack is timed under that load).  The
    watcher is told of every text so the caller can wait for the backlog to drain."""
    numbers = _FreshNumbers()

    def work(index: int, recorder: Recorder) -> None:
        with httpx.Client(base_url=gateway_urls[index % len(gateway_urls)], timeout=60) as http:
            for body in texts:
                form = twilio_form(
                    from_number=numbers.take(),
                    to_number=PRACTICE_NUMBER,
                    body=body,
                    account_sid=DEMO_TWILIO_ACCOUNT_SID,
                )
                headers = _signed(public_base_url, auth_token, form)
                watcher.expect(form["MessageSid"])
                with recorder.timing(SMS_ACK):
                    _post(http, form, headers)

    return work
