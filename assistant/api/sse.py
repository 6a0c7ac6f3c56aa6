"""Server-sent event streams (sse-starlette), shaped the same for the chat and the console.

sse-starlette also ends open streams when the server is told to stop (it watches
uvicorn's exit flag), so Ctrl-C with a page open does not wait for the stream;
browsers reconnect (Last-Event-ID) once the server is back.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from sse_starlette import EventSourceResponse, ServerSentEvent

RETRY_MILLISECONDS = 2000  # how long a browser waits before it reconnects
KEEPALIVE_SECONDS = 15.0  # a comment now and then, so proxies keep the connection open
SEPARATOR = "\n"
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def event(name: str, data: dict[str, Any], event_id: int | None = None) -> ServerSentEvent:
    """One named event with a JSON payload (and an id a reconnect can resume after)."""
    return ServerSentEvent(
        json.dumps(data), event=name, id=str(event_id) if event_id is not None else None, sep=SEPARATOR
    )


def retry_advice() -> ServerSentEvent:
    """The first thing on every stream: reconnect after two seconds."""
    return ServerSentEvent(retry=RETRY_MILLISECONDS, sep=SEPARATOR)


def _keep_alive() -> ServerSentEvent:
    return ServerSentEvent(comment="keep-alive", sep=SEPARATOR)


def event_stream(events: AsyncIterator[ServerSentEvent]) -> EventSourceResponse:
    return EventSourceResponse(
        events, headers=HEADERS, sep=SEPARATOR, ping=KEEPALIVE_SECONDS, ping_message_factory=_keep_alive
    )
