"""Client for one Rasa server's REST channel and HTTP API (loopback or the cluster network).

Several servers (replicas) are combined by replicas.py; the pipeline sees either through
the `DialogueBot` protocol.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from assistant.logs import get_logger

log = get_logger("dialogue.bot")


class BotUnavailable(RuntimeError):
    """Rasa could not be reached or answered with an error.

    `replica_down`: the server itself is out (refused, timed out, 5xx), so another replica
    may answer; False for an answer that would be the same anywhere (a 4xx, a bad body).
    """

    def __init__(self, reason: str, *, replica_down: bool = True) -> None:
        super().__init__(reason)
        self.replica_down = replica_down


@dataclass(frozen=True)
class BotReply:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_rasa(cls, item: dict[str, Any]) -> BotReply:
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))} for b in item.get("buttons") or []
        ]
        return cls(text=str(item.get("text") or ""), buttons=buttons)


class DialogueBot(Protocol):
    """What the conversation pipeline and the routes need from the dialogue model."""

    def send(self, conversation_id: str, text: str, request_id: str | None) -> list[BotReply]: ...

    def restart(self, conversation_id: str) -> None: ...

    def is_ready(self) -> bool: ...

    def close(self) -> None: ...


class RasaBot:
    """One pooled HTTP client per server and process, created by the app factory, never at import."""

    def __init__(self, base_url: str, timeout_seconds: float, *, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = httpx.Client(base_url=self.base_url, timeout=timeout_seconds, transport=transport)

    def close(self) -> None:
        self._client.close()

    def send(self, conversation_id: str, text: str, request_id: str | None) -> list[BotReply]:
        try:
            response = self._client.post(
                "/webhooks/rest/webhook",
                json={"sender": conversation_id, "message": text, "metadata": {"request_id": request_id}},
            )
            response.raise_for_status()
            items = response.json()
        except httpx.HTTPStatusError as error:
            raise BotUnavailable(
                f"HTTP {error.response.status_code}", replica_down=error.response.is_server_error
            ) from error
        except httpx.HTTPError as error:  # refused, reset, timed out: the server is out
            raise BotUnavailable(type(error).__name__) from error
        except ValueError as error:
            raise BotUnavailable(type(error).__name__, replica_down=False) from error
        replies = [BotReply.from_rasa(item) for item in items if item.get("text")]
        log.info("bot_replied", conversation=conversation_id, replies=len(replies))
        return replies

    def restart(self, conversation_id: str) -> None:
        """Forget the bot's dialogue state (e.g. a half-finished form) for this conversation."""
        if not self.try_restart(conversation_id):
            log.warning("bot_restart_failed", conversation=conversation_id)

    def try_restart(self, conversation_id: str) -> bool:
        try:
            self._client.post(
                f"/conversations/{conversation_id}/tracker/events", json={"event": "restart"}
            ).raise_for_status()
        except httpx.HTTPError:
            return False
        return True

    def is_ready(self) -> bool:
        try:
            response = self._client.get("/status", timeout=2.0)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False
