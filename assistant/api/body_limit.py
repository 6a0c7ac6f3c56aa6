"""A cap on every request body, whatever the transfer encoding, enforced before any route runs.

Raw ASGI on purpose: the cap has to see the body stream itself.  A declared
Content-Length over the cap is refused at once (413, nothing read, no route called).  A
chunked body has no length to check, so it is read here, counting bytes, and refused the
moment the count passes the cap; only a complete body within the cap is handed on (replayed
from memory, at most `cap` bytes).  So no parser (form, JSON) ever touches an oversized
body, and no handler runs for one.  (FastAPI's own `max_body_size` counts while the route
reads: handlers that never read the body still run, and a form parser has already
consumed the first part of the body when the 413 comes.)

Caps are per path prefix; everything else gets `DEFAULT_MAX_BODY_BYTES`.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.logs import get_logger

log = get_logger("api.body_limit")

# Our largest legitimate bodies are a 2,000-character message or canned response as JSON
# (at most ~24 KB even when every character is a \uXXXX escape pair).
DEFAULT_MAX_BODY_BYTES = 64 * 1024
# Twilio's webhooks: a text is at most 1,600 characters (Twilio's own limit), about 19 KB
# form-encoded even if every character is 4-byte UTF-8, plus ~30 short fields and up to
# 10 media URLs.
TWILIO_MAX_BODY_BYTES = 32 * 1024
MAX_BODY_BYTES_BY_PREFIX: Mapping[str, int] = {"/twilio/": TWILIO_MAX_BODY_BYTES}


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        default: int = DEFAULT_MAX_BODY_BYTES,
        by_prefix: Mapping[str, int] = MAX_BODY_BYTES_BY_PREFIX,
    ) -> None:
        self.app = app
        self.default = default
        self.by_prefix = dict(by_prefix)

    def cap_for(self, path: str) -> int:
        return next((cap for prefix, cap in self.by_prefix.items() if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.cap_for(scope["path"])
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            length = int(declared) if declared.isascii() and declared.isdigit() else None
            if length is None:
                await _refuse(400, "invalid Content-Length", scope, receive, send)
                return
            if length > cap:
                await _too_large(cap, scope, receive, send)
                return
            if length == 0:
                await self.app(scope, receive, send)
                return
        elif "transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # HTTP/1.1: no length, not chunked = no body
            return
        try:
            body = await _read_at_most(receive, cap)
        except _ClientGone:
            return  # the client went away mid-body: nobody to answer
        if body is None:
            await _too_large(cap, scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


class _ClientGone(Exception):
    pass


async def _read_at_most(receive: Receive, cap: int) -> bytes | None:
    """The whole body, or None as soon as it passes `cap` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: disconnects, as the server reports them

    return replayed


async def _too_large(cap: int, scope: Scope, receive: Receive, send: Send) -> None:
    log.warning("request_body_too_large", method=scope["method"], cap=cap)  # paths may hold tokens
    await _refuse(413, f"request body too large (at most {cap} bytes)", scope, receive, send)


async def _refuse(status_code: int, detail: str, scope: Scope, receive: Receive, send: Send) -> None:
    # Connection: close, so the server does not try to read the rest of the body as a next request.
    response = JSONResponse({"detail": detail}, status_code=status_code, headers={"Connection": "close"})
    await response(scope, receive, send)
