"""The website chat widget's files, and a demo practice home page that embeds it.

A practice's site adds one tag:

    <script src="https://ASSISTANT_HOST/widget.js" data-practice="lakeside" defer></script>

Everything the widget needs (script, stylesheet) comes from the gateway: no CDN,
no fonts.  It runs under a strict Content-Security-Policy: the site allows the
assistant's host in `script-src`, `style-src` and `connect-src`, nothing inline.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import select

from assistant.api import pages
from assistant.api.deps import SessionDep, SettingsDep
from assistant.store.models import Practice

router = APIRouter(tags=["widget"])

STATIC = Path(__file__).resolve().parent.parent / "static"

# The demo page is what a strict practice site looks like: nothing inline, only our own files.
DEMO_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

_ASSETS = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "demo.css": "text/css; charset=utf-8",
}


def _asset(name: str) -> FileResponse:
    return FileResponse(
        STATIC / name,
        media_type=_ASSETS[name],
        headers={
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
            # Loaded by practice sites on other origins, also under Cross-Origin-Embedder-Policy.
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


@router.get("/widget.js", include_in_schema=False)
def widget_js() -> FileResponse:
    return _asset("widget.js")


@router.get("/widget.css", include_in_schema=False)
def widget_css() -> FileResponse:
    return _asset("widget.css")


@router.get("/demo/demo.css", include_in_schema=False)
def demo_css() -> FileResponse:
    return _asset("demo.css")


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def demo_home(session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The demo practice's home page with the widget embedded (not served in production)."""
    if settings.is_production:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    practice = session.scalars(select(Practice).where(Practice.slug == settings.practice_slug)).first()
    name = practice.name if practice is not None else "Demo practice"
    snippet = (
        f'<script src="{settings.public_base_url}/widget.js" data-practice="{settings.practice_slug}" defer></script>'
    )
    page = pages.render("widget/demo_home.html", name=name, slug=settings.practice_slug, snippet=snippet)
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": DEMO_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )
