"""The website chat widget's files, and a demo practice home page that embeds it.

A practice's site adds one tag:

    <script src="https://ASSISTANT_HOST/widget.js" data-practice="lakeside" defer></script>

Everything the widget needs (script, stylesheet) comes from the gateway: no CDN,
no fonts.  It runs under a strict Content-Security-Policy: the site allows the
assistant's host in `script-src`, `style-src` and `connect-src`, nothing inline.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import select

from assistant.api.deps import SessionDep, SettingsDep
from assistant.store.models import Practice

router = APIRouter(tags=["widget"])

STATIC = Path(__file__).resolve().parent.parent / "static"

# The demo page is what a strict practice site looks like: nothing inline, only our own files.
DEMO_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "img-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")

_ASSETS = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "demo.css": "text/css; charset=utf-8",
}


def _asset(name: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type=_ASSETS[name], headers={
        "Cache-Control": "public, max-age=300",
        "X-Content-Type-Options": "nosniff",
        # Loaded by practice sites on other origins, also under Cross-Origin-Embedder-Policy.
        "Cross-Origin-Resource-Policy": "cross-origin",
    })


@router.get("/widget.js", include_in_schema=False)
def widget_js() -> FileResponse:
    return _asset("widget.js")


@router.get("/widget.css", include_in_schema=False)
def widget_css() -> FileResponse:
    return _asset("widget.css")


@router.get("/demo/demo.css", include_in_schema=False)
def demo_css() -> FileResponse:
    return _asset("demo.css")


_DEMO_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}: therapy and counseling</title>
<link rel="stylesheet" href="/demo/demo.css">
<script src="/widget.js" data-practice="{slug}" defer></script>
</head>
<body>
<header class="site-header">
  <p class="brand">{name}</p>
  <nav aria-label="Main"><a href="#services">Services</a> <a href="#visit">Visit</a> <a href="#embed">Embed</a></nav>
</header>
<main>
  <section class="hero">
    <h1>Support for whatever you're carrying</h1>
    <p>Individual, couples and family therapy, in person or by video.</p>
    <p class="hint">Questions about your session? Our front desk is in the corner of this
      page, any time of day: move, cancel or book a session, get your video link, get back
      into the client portal or update your card. A person takes over whenever you need one.</p>
  </section>
  <section id="services">
    <h2>Services</h2>
    <ul>
      <li>Individual therapy for anxiety, depression, grief and life transitions</li>
      <li>Couples and family therapy</li>
      <li>Telehealth sessions anywhere in the state</li>
    </ul>
  </section>
  <section id="visit">
    <h2>Visit us</h2>
    <p>Weekdays 9 AM to 5 PM, Saturday 9 AM to noon.</p>
    <p class="urgent">In a crisis? Call or text <strong>988</strong>, or call <strong>911</strong>.</p>
  </section>
  <section id="embed">
    <h2>Put this chat on your own site</h2>
    <p>One tag, with your site's origin added to the practice's allowed origins:</p>
    <pre><code>{snippet}</code></pre>
    <p>This page runs under the strictest Content-Security-Policy: nothing inline, only
      files from this server.</p>
  </section>
</main>
<footer><p>{name} &middot; a demo practice</p></footer>
</body>
</html>
"""


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def demo_home(session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The demo practice's home page with the widget embedded (not served in production)."""
    if settings.is_production:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    practice = session.scalars(select(Practice).where(Practice.slug == settings.practice_slug)).first()
    name = practice.name if practice is not None else "Demo practice"
    snippet = (f'<script src="{settings.public_base_url}/widget.js" '
               f'data-practice="{settings.practice_slug}" defer></script>')
    page = _DEMO_PAGE.format(name=html.escape(name), slug=html.escape(settings.practice_slug),
                             snippet=html.escape(snippet))
    return HTMLResponse(page, headers={"Content-Security-Policy": DEMO_CSP,
                                       "X-Content-Type-Options": "nosniff",
                                       "Referrer-Policy": "no-referrer"})
