"""CORS for the web chat API: each practice lists the website origins that may embed its widget.

An origin is allowed for a request when it is the gateway's own (same origin, or
PUBLIC_BASE_URL) or is in `Practice.widget_allowed_origins` of the practice the
request is about: the conversation's practice for `/api/chat/sessions/{id}/...`,
the named practice for `/api/chat/practices/{slug}`.  Creating a session names
its practice in the body, which a preflight cannot see: the preflight is allowed
for any practice's origins and the route itself checks the practice it creates
the session for (`require_allowed_origin`).

A disallowed origin gets no CORS headers at all, its preflight is refused (403)
and its actual requests are refused too (403), so a foreign page cannot even
create sessions.  Requests without an Origin header (curl, the CLI, server to
server) are not affected: CORS only concerns browsers.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, status
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.config import Settings
from assistant.store.engine import session_scope
from assistant.store.models import Conversation, Practice

PREFIX = "/api/chat/"
ALLOWED_METHODS = ("GET", "POST", "DELETE")
ALLOWED_HEADERS = ("authorization", "content-type", "last-event-id")
MAX_AGE_SECONDS = 600
# Only id and slug shapes are looked up (anything else cannot exist, and a NUL would make
# PostgreSQL fail the query); the route then refuses the malformed path itself (422).
_SESSION_PATH = re.compile(r"^/api/chat/sessions/([A-Za-z0-9_-]{1,64})(?:/.*)?$")
_PRACTICE_PATH = re.compile(r"^/api/chat/practices/([a-z0-9][a-z0-9-]{0,63})$")


def normalize_origin(value: str) -> str | None:
    """'HTTPS://Lakeside.example/' -> 'https://lakeside.example'; None if not an origin."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    default_port = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default_port else "")


def practice_origins(practice: Practice) -> set[str]:
    return {
        origin
        for origin in (normalize_origin(str(entry)) for entry in practice.widget_allowed_origins or [])
        if origin is not None
    }


def _own_origins(settings: Settings, scheme: str, host: str | None) -> set[str]:
    own = {normalize_origin(settings.public_base_url)}
    if host:
        own.add(normalize_origin(f"{scheme}://{host}"))
    return {origin for origin in own if origin}


def origin_allowed_for(practice: Practice, origin: str, settings: Settings, *, scheme: str, host: str | None) -> bool:
    normalized = normalize_origin(origin)
    return normalized is not None and (
        normalized in _own_origins(settings, scheme, host) or normalized in practice_origins(practice)
    )


def require_allowed_origin(request: Request, practice: Practice, settings: Settings) -> None:
    """For routes that pick their practice from the body: refuse a foreign site's browser."""
    origin = request.headers.get("origin")
    if origin is not None and not origin_allowed_for(
        practice, origin, settings, scheme=request.url.scheme, host=request.headers.get("host")
    ):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this website may not use this practice's chat")


class WidgetCORS:
    """Pure ASGI, so server-sent event streams pass through untouched."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        allowed = await run_in_threadpool(
            self._allowed, scope["path"], origin, scope.get("scheme", "http"), headers.get("host")
        )
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(allowed, origin, headers)(scope, receive, send)
            return
        if not allowed:
            await JSONResponse({"detail": "this website may not use this chat"}, status_code=403)(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers["Access-Control-Allow-Origin"] = origin
                response_headers["Access-Control-Expose-Headers"] = "X-Request-ID"
                response_headers.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _preflight(self, allowed: bool, origin: str, headers: Headers) -> Response:
        method = headers["access-control-request-method"].upper()
        requested = {
            h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",") if h.strip()
        }
        if not allowed or method not in ALLOWED_METHODS or not requested <= set(ALLOWED_HEADERS):
            return Response(
                "CORS request refused", status_code=403, media_type="text/plain", headers={"Vary": "Origin"}
            )
        return Response(
            status_code=204,
            headers={
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": ", ".join(ALLOWED_METHODS),
                "Access-Control-Allow-Headers": ", ".join(ALLOWED_HEADERS),
                "Access-Control-Max-Age": str(MAX_AGE_SECONDS),
                "Vary": "Origin",
            },
        )

    def _allowed(self, path: str, origin: str, scheme: str, host: str | None) -> bool:
        normalized = normalize_origin(origin)
        if normalized is None:
            return False
        if normalized in _own_origins(self.settings, scheme, host):
            return True
        with session_scope(self.settings.database_url) as session:
            practice: Practice | None = None
            if match := _SESSION_PATH.match(path):
                conversation = session.get(Conversation, match.group(1))
                practice = conversation.practice if conversation else None
            elif match := _PRACTICE_PATH.match(path):
                practice = session.scalars(select(Practice).where(Practice.slug == match.group(1))).first()
            # Unknown session or practice, or creating a session: any practice's site may ask.
            candidates = [practice] if practice is not None else session.scalars(select(Practice)).all()
            return any(normalized in practice_origins(candidate) for candidate in candidates)
