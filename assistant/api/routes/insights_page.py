"""The insights page (`/console/insights`) and the chart library it draws with.

The page is a shell like the other console pages: insights.js fetches `/api/rep/insights`
and draws every panel from that one response (the API decides what a rep may see: admins
get every panel, other reps the queue-health ones).  The chart library is vendored, pinned
and served from here (`/console/static/vendor/<lib>-<version>/<file>`): nothing comes from
a CDN, and the console's strict Content-Security-Policy stays as it is.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import HTMLResponse, Response

from assistant.api.deps import SessionDep
from assistant.api.routes.console import STATIC_DIR, ConsoleSession, header_context, page
from assistant.store.models import Practice

router = APIRouter(prefix="/console", tags=["console"])

# npm packages, unpacked as published (`npm pack`): the minified UMD build and its licence.
# chartjs-chart-matrix draws the weekday x hour heatmap on top of Chart.js.
CHART_JS = "vendor/chart.js-4.5.1/chart.umd.min.js"
CHART_MATRIX = "vendor/chartjs-chart-matrix-3.1.0/chartjs-chart-matrix.min.js"
VENDOR_FILES = {
    CHART_JS: "text/javascript; charset=utf-8",
    CHART_MATRIX: "text/javascript; charset=utf-8",
    "vendor/chart.js-4.5.1/LICENSE.md": "text/plain; charset=utf-8",
    "vendor/chartjs-chart-matrix-3.1.0/LICENSE": "text/plain; charset=utf-8",
}


@router.get("/insights", response_class=HTMLResponse)
def insights_page(record: ConsoleSession, session: SessionDep) -> HTMLResponse:
    """Every rep may open it; a rep who is not an admin is shown the queue-health panels only."""
    practice = session.get(Practice, record.rep.practice_id)
    assert practice is not None
    return page(
        "console/insights.html",
        "Insights · Front desk console",
        scripts=("common.js", CHART_JS, CHART_MATRIX, "insights.js"),
        timezone=practice.timezone,  # the period presets count days at the practice, not in the browser
        **header_context(record, practice, "insights"),
    )


@router.get(
    "/static/vendor/{package}/{name}",
    response_class=Response,
    responses={
        200: {
            "content": {"text/javascript": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}
        }
    },
)
def vendor_file(package: str, name: str) -> Response:
    relative = f"vendor/{package}/{name}"
    media_type = VENDOR_FILES.get(relative)  # a fixed list: no path from the request reaches the disk
    if media_type is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    return Response(
        (STATIC_DIR / relative).read_bytes(),
        media_type=media_type,
        # Pinned files: the version is in the path, so they never change under it.
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=31536000, immutable"},
    )
