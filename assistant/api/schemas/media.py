"""Response classes that name a non-JSON media type, so the OpenAPI document says what a
route answers with (FastAPI documents a route's `response_class`).

A route may return any Response; these are for `response_class=` on the decorator.
"""

from __future__ import annotations

from starlette.responses import Response


class EventStream(Response):
    """Server-sent events (the route returns sse-starlette's EventSourceResponse)."""

    media_type = "text/event-stream"


class CsvDocument(Response):
    media_type = "text/csv"


class AudioDocument(Response):
    """A call's recording (MP3), as the console's audio player fetches it."""

    media_type = "audio/mpeg"


class TwimlDocument(Response):
    """Twilio's XML reply to a webhook."""

    media_type = "text/xml"
