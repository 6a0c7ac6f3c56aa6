"""The app's rate limiter as routes use it: who is asking, and a 429 that says when to retry.

The limiter itself (assistant/services/throttle.py) is built once per app and kept on
`app.state.rate_limiter`; routes bring their own limits (e.g. identity_guard's).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status

from assistant.config import Settings
from assistant.services.throttle import RateLimiter, namespace_for


def build_rate_limiter(settings: Settings) -> RateLimiter:
    return RateLimiter(settings.redis_url, namespace=namespace_for(settings.database_url))


def get_rate_limiter(request: Request) -> RateLimiter:
    state = request.app.state
    limiter: RateLimiter | None = getattr(state, "rate_limiter", None)
    if limiter is None:  # an app assembled without create_app (a test): one limiter all the same
        limiter = state.rate_limiter = build_rate_limiter(state.settings)
    return limiter


RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]


def source_address(request: Request) -> str:
    """The caller's address as the app sees it (trusted proxies already applied)."""
    return request.client.host if request.client is not None else "unknown"


def too_many_requests(retry_after: int, detail: str) -> HTTPException:
    return HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail, headers={"Retry-After": str(retry_after)})


# FastAPI's `responses=` type: status code -> OpenAPI response object.
TOO_MANY_RESPONSE: dict[int | str, dict[str, Any]] = {
    429: {"description": "Too many attempts from this address; the Retry-After header says how many seconds to wait."}
}
