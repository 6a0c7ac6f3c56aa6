"""Security headers on every response the gateway sends: pages, API answers, 404s and errors.

- `Content-Security-Policy`: nothing inline, nothing from other origins, never framed
  (`frame-ancestors 'none'`: the card and portal pages must not be clickjackable).  A
  route may send its own page policy (the console and the demo page do; both are at
  least as strict); responses without one get `DEFAULT_POLICY`, or the policy of their
  path in `PATH_POLICIES`.
- `X-Frame-Options: DENY` for browsers that predate frame-ancestors.
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (link pages carry
  their token in the path), a `Permissions-Policy` that turns off what we never use.
- `Strict-Transport-Security` when the public address is https.

The website widget is unaffected: practice sites load `/widget.js` and `/widget.css`
with a script tag and a stylesheet link, not a frame, and a CSP on a script or an API
answer does not apply to the page that fetched it (CORS, for the chat API, is separate).
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.routes import links
from assistant.config import Settings

DEFAULT_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


def inline_style_hashes(document: bytes) -> list[str]:
    """CSP sources allowing exactly the <style> blocks of one of our own page templates."""
    blocks = re.findall(rb"<style>(.*?)</style>", document, flags=re.DOTALL)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(block).digest()).decode()}'" for block in blocks]


def _link_pages_policy() -> str:
    # The portal and card pages style themselves with one inline <style> (links.py); allow
    # that block by its hash rather than 'unsafe-inline', so injected markup could not style.
    hashes = " ".join(inline_style_hashes(bytes(links.page("", "").body)))
    return DEFAULT_POLICY.replace("style-src 'self'", f"style-src 'self' {hashes}".rstrip())


# FastAPI's interactive docs (only served outside production) load Swagger UI / ReDoc
# from their CDN and configure them with an inline script.
_DEV_DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

PATH_POLICIES: tuple[tuple[str, str], ...] = (
    ("/portal/", _link_pages_policy()),
    ("/billing/", _link_pages_policy()),
    ("/docs", _DEV_DOCS_POLICY),
    ("/redoc", _DEV_DOCS_POLICY),
)


def policy_for(path: str) -> str:
    return next((policy for prefix, policy in PATH_POLICIES if path.startswith(prefix)), DEFAULT_POLICY)


class SecurityHeaders:
    """Pure ASGI (Starlette's pattern of wrapping `send`): the headers go on at
    `http.response.start`, so event streams pass through untouched and responses made by
    other middleware (CORS refusals, 413s, the JSON 500) get them too."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.hsts = settings.public_base_url.lower().startswith("https://")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = policy_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers["X-Frame-Options"] = "DENY"
                headers["X-Content-Type-Options"] = "nosniff"
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
                if self.hsts:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)
