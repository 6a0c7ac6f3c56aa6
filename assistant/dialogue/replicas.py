"""Several Rasa servers behind one client: each conversation sticks to one replica.

Routing is rendezvous (highest-random-weight) hashing of the conversation id: every
replica gets a score from a stable hash of (replica URL, conversation id) and the highest
score wins.  Unlike `hash % n`, losing one replica moves only that replica's own
conversations (to their second-highest score), and they come back when it recovers; every
gateway process computes the same order with no shared state.  Written here rather than
taken from a library because it is a dozen lines of `hashlib`.

Sticking matters beyond caching: the open-source Redis lock store is not atomic, so one
conversation must not be processed by two replicas at once.  Within the gateway a
conversation has one turn in flight at a time across processes (conversation/ordering.py),
and that turn goes to one replica; the only overlap left is a turn whose replica timed out
mid-answer and was retried on the next one.

A replica that refuses, times out or answers 5xx is marked down for `retry_after`
seconds: turns go to the next replica in their order meanwhile, then it is tried again
(first, for its own conversations).  If every replica is down, each is still tried in
order, so a turn is answered whenever any replica can.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from assistant.dialogue.bot import BotReply, BotUnavailable, RasaBot
from assistant.logs import get_logger

log = get_logger("dialogue.replicas")

RETRY_DOWN_AFTER_SECONDS = 5.0


def rendezvous_order(keys: Sequence[str], conversation_id: str) -> list[int]:
    """Indexes of `keys`, best first, for this conversation (stable across processes)."""

    def score(index: int) -> int:
        digest = hashlib.sha256(f"{keys[index]}\x00{conversation_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big")

    return sorted(range(len(keys)), key=score, reverse=True)


@dataclass(frozen=True)
class ReplicaStatus:
    url: str
    ready: bool


class RasaReplicas:
    """The `DialogueBot` for one or more Rasa URLs (RASA_URLS, else RASA_URL)."""

    def __init__(
        self,
        urls: Sequence[str],
        timeout_seconds: float,
        *,
        retry_after: float = RETRY_DOWN_AFTER_SECONDS,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self._replicas = [RasaBot(url, timeout_seconds, transport=transport) for url in urls]
        self._urls = [replica.base_url for replica in self._replicas]
        self._retry_after = retry_after
        self._down_until = [0.0] * len(self._replicas)
        self._lock = threading.Lock()

    @property
    def urls(self) -> list[str]:
        return list(self._urls)

    def close(self) -> None:
        for replica in self._replicas:
            replica.close()

    def order_for(self, conversation_id: str) -> list[str]:
        """The replicas this conversation would try, first choice first, skipping ones marked down."""
        return [self._urls[index] for index in self._attempt_order(conversation_id)]

    def _attempt_order(self, conversation_id: str) -> list[int]:
        preferred = rendezvous_order(self._urls, conversation_id)
        now = time.monotonic()
        with self._lock:
            up = [index for index in preferred if self._down_until[index] <= now]
        return up + [index for index in preferred if index not in up]

    def _mark(self, index: int, *, down: bool) -> None:
        with self._lock:
            was_down = self._down_until[index] > time.monotonic()
            self._down_until[index] = time.monotonic() + self._retry_after if down else 0.0
        if down and not was_down:
            log.warning("rasa_replica_down", replica=self._urls[index])
        elif not down and was_down:
            log.info("rasa_replica_back", replica=self._urls[index])

    def send(self, conversation_id: str, text: str, request_id: str | None) -> list[BotReply]:
        failure: BotUnavailable | None = None
        for index in self._attempt_order(conversation_id):
            try:
                replies = self._replicas[index].send(conversation_id, text, request_id)
            except BotUnavailable as error:
                if not error.replica_down:
                    raise
                self._mark(index, down=True)
                failure = error
                continue
            self._mark(index, down=False)
            return replies
        assert failure is not None
        raise failure

    def restart(self, conversation_id: str) -> None:
        # The tracker store is shared by every replica: any one of them can restart it.
        for index in self._attempt_order(conversation_id):
            if self._replicas[index].try_restart(conversation_id):
                return
        log.warning("bot_restart_failed", conversation=conversation_id)

    def statuses(self) -> list[ReplicaStatus]:
        """Each replica's readiness, probed now (and remembered for routing)."""
        found = []
        for index, replica in enumerate(self._replicas):
            ready = replica.is_ready()
            self._mark(index, down=not ready)
            found.append(ReplicaStatus(self._urls[index], ready))
        return found

    def is_ready(self) -> bool:
        """Ready when at least one replica can answer (turns fail over to it)."""
        return any(status.ready for status in self.statuses())
