"""Many clients texting at once through the real stack, and the exactly-once / in-order check
the self-healing tests make afterwards (tests/e2e/test_self_healing*.py)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.engine import session_scope
from assistant.store.models import Direction, Message
from tests.support.fake_twilio import FakeTwilio
from tests.support.stack import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, RunningStack
from tests.support.stack_sms import replies_to
from tests.support.twilio import post_signed, text_form


class Texters:
    """Each number texts its messages one after another, waiting for the answer to each
    before the next (as a person does), all numbers at once.  A text is *accepted* when a
    gateway answered the webhook with 200; a refused connection (a gateway just killed) moves
    that number on to the next gateway, as the load balancer in front of them would.  With every
    gateway down the text is refused (Twilio redelivers nothing), and the person texts their next
    message once a gateway answers again.  Only accepted texts count."""

    def __init__(self, stack: RunningStack, gateway_urls: Sequence[str] | None = None) -> None:
        self.stack = stack
        self.gateway_urls = list(gateway_urls or [stack.url])
        self.accepted: list[dict[str, str]] = []
        self.refused: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.progress = threading.Condition(self.lock)

    def _post(self, http: httpx.Client, number: str, body: str, first: int) -> dict[str, str] | None:
        form = text_form(number, body, account_sid=TWILIO_ACCOUNT_SID)
        for attempt in range(len(self.gateway_urls)):
            url = self.gateway_urls[(first + attempt) % len(self.gateway_urls)] + "/twilio/sms"
            public = f"{self.stack.url}/twilio/sms"  # PUBLIC_BASE_URL: what Twilio signs, whichever gateway
            try:
                response = post_signed(http, form, auth_token=TWILIO_AUTH_TOKEN, path=url, signed_url=public)
            except httpx.TransportError:
                continue  # that gateway is down: the next one
            if response.status_code == 200:
                with self.progress:
                    self.accepted.append(form)
                    self.progress.notify_all()
                return form
            raise AssertionError(f"webhook answered {response.status_code}: {response.text}")
        with self.progress:
            self.refused.append(form)
            self.progress.notify_all()
        return None

    def _some_gateway_up(self, http: httpx.Client) -> bool:
        for url in self.gateway_urls:
            try:
                http.get(f"{url}/healthz", timeout=2)
                return True
            except httpx.TransportError:
                continue
        return False

    def _text_all(self, index: int, number: str, bodies: Sequence[str]) -> None:
        with httpx.Client(timeout=30) as http:
            for body in bodies:
                form = self._post(http, number, body, first=index)
                if form is not None:
                    replies_to(self.stack, form, timeout=180)
                    continue
                deadline = time.monotonic() + 180
                while not self._some_gateway_up(http):
                    assert time.monotonic() < deadline, "no gateway came back"
                    time.sleep(0.2)

    def run(self, numbers: Sequence[str], bodies: Sequence[str], *, during: Callable[[], None] | None = None) -> None:
        """Text from every number; `during` runs (in this thread) once a third of the texts are in."""
        total = len(numbers) * len(bodies)
        with ThreadPoolExecutor(max_workers=min(len(numbers), 50)) as pool:
            futures = [pool.submit(self._text_all, i, number, bodies) for i, number in enumerate(numbers)]
            if during is not None:
                with self.progress:
                    self.progress.wait_for(
                        lambda: len(self.accepted) >= total // 3 or all(f.done() for f in futures), timeout=180
                    )
                during()
            for future in futures:
                future.result()


def assert_answered_once_in_order(database_url: str, twilio: FakeTwilio, forms: Sequence[dict[str, str]]) -> None:
    """Every accepted text is stored once and answered once (no reply text twice for one
    inbound message), a conversation's answers come in the order of its texts, and every
    reply was sent to Twilio exactly once.  Call after each form has its replies."""
    by_number: dict[str, list[str]] = {}
    for form in forms:
        by_number.setdefault(form["From"], []).append(form["MessageSid"])
    with session_scope(database_url) as session:
        for number, sids in by_number.items():
            inbound = session.scalars(select(Message).where(Message.external_id.in_(sids)).order_by(Message.id)).all()
            assert len(inbound) == len(sids), f"{number}: {len(sids)} texts accepted, {len(inbound)} stored"
            previous_last = 0
            for message in inbound:
                replies = session.scalars(
                    select(Message)
                    .where(
                        Message.conversation_id == message.conversation_id,
                        Message.direction == Direction.OUTBOUND,
                        Message.request_id == message.request_id,
                    )
                    .order_by(Message.id)
                ).all()
                assert replies, f"{number}: message {message.id} has no reply: {_story(session, message)}"
                texts = [reply.text for reply in replies]
                assert len(texts) == len(set(texts)), f"{number}: message {message.id} answered twice"
                assert replies[0].id > previous_last, f"{number}: message {message.id} answered out of order"
                previous_last = replies[-1].id
            outbound = session.scalars(
                select(Message.id).where(
                    Message.conversation_id == inbound[0].conversation_id, Message.direction == Direction.OUTBOUND
                )
            ).all()
            sent = Counter(request.form.get("Body") for request in twilio.sent_to(number))
            stored = Counter(session.scalars(select(Message.text).where(Message.id.in_(outbound))).all())
            # Even when a gateway died mid-send: the outbox looks a crashed attempt up at Twilio
            # before sending it again (channels/sms/outbox.py).
            assert sent == stored, f"{number}: a reply sent twice or not at all"


def _story(session: Session, inbound: Message) -> list[tuple[object, ...]]:
    """The conversation as rows, for a failure message (test texts only: no client's words)."""
    rows = session.scalars(
        select(Message).where(Message.conversation_id == inbound.conversation_id).order_by(Message.id)
    ).all()
    return [
        (row.id, row.direction.value, row.author.value, row.request_id == inbound.request_id, row.text) for row in rows
    ]
