"""Per request: an id, one access-log line, and a JSON 500 for anything unhandled.

- Every request gets a fresh id: `request.state.request_id` (routes and audit records),
  the `X-Request-ID` response header, and the `request_id` of every log line written
  while it runs (`assistant.logs.request_id_var`).
- One `http_request` line when it ends: method, route template (never the raw path,
  which can hold a link token, and never the query string, which can hold a stream
  token), status and duration.
- An exception no route handled becomes `500 {"detail": "internal error", "request_id"}`
  and one `unhandled_error` line (exception type and where, not its message).

Raw ASGI rather than `@app.middleware("http")`: it must see the response start (to stamp
the id and learn the status) without buffering event streams, and wrap everything below
it, CORS and the body cap included.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.logs import get_logger, path_for_log, request_id_var

log = get_logger("api.errors")
access_log = get_logger("api.access")

QUIET_PATHS = frozenset({"/healthz"})  # probed every few seconds: logged only when not 200


def route_for_log(scope: Scope) -> str:
    """The matched route's template (`/api/chat/sessions/{session_id}/events`), else the
    path with anything id- or token-like masked."""
    route: Any = scope.get("route")
    template = getattr(route, "path", None)
    return template if isinstance(template, str) else path_for_log(scope.get("path", ""))


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled_error", method=scope["method"], route=route_for_log(scope))
            if status is not None:
                raise  # the response has begun (a stream): it can only be cut off
            response = JSONResponse({"detail": "internal error", "request_id": request_id}, status_code=500)
            await response(scope, receive, send_with_id)
        finally:
            self._log_access(scope, status, time.perf_counter() - started)
            request_id_var.reset(token)

    @staticmethod
    def _log_access(scope: Scope, status: int | None, seconds: float) -> None:
        fields = {
            "method": scope["method"],
            "route": route_for_log(scope),
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
        }
        if scope.get("path") in QUIET_PATHS and status == 200:
            access_log.debug("http_request", **fields)
        else:
            access_log.info("http_request", **fields)
