"""Client for the Rasa server's REST channel and HTTP API (loopback only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from assistant.logs import get_logger

log = get_logger("dialogue.bot")


class BotUnavailable(RuntimeError):
    """Rasa could not be reached or answered with an error."""


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


class RasaBot:
    """One pooled HTTP client per process, created by the app factory, never at import."""

    def __init__(self, base_url: str, timeout_seconds: float) -> None:
        self._client = httpx.Client(base_url=base_url, timeout=timeout_seconds)

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
        except (httpx.HTTPError, ValueError) as error:
            raise BotUnavailable(type(error).__name__) from error
        replies = [BotReply.from_rasa(item) for item in items if item.get("text")]
        log.info("bot_replied", conversation=conversation_id, replies=len(replies))
        return replies

    def restart(self, conversation_id: str) -> None:
        """Forget the bot's dialogue state (e.g. a half-finished form) for this conversation."""
        try:
            self._client.post(
                f"/conversations/{conversation_id}/tracker/events", json={"event": "restart"}
            ).raise_for_status()
        except httpx.HTTPError:
            log.warning("bot_restart_failed", conversation=conversation_id)

    def is_ready(self) -> bool:
        try:
            response = self._client.get("/status", timeout=2.0)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False
