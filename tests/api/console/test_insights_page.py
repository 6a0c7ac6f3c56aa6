"""The insights page and its vendored chart library: signed-in reps only, the console's
strict CSP, the pinned files served locally (and nothing else under vendor/)."""

from __future__ import annotations

import hashlib

from assistant.api.routes.insights_page import CHART_JS, CHART_MATRIX, VENDOR_FILES
from tests.support.console import Signed

# The vendored builds as published on npm (assistant/api/console_static/vendor/README.md).
SHA256 = {
    CHART_JS: "48444a82d4edcb5bec0f1965faacdde18d9c17db3063d042abada2f705c9f54a",
    CHART_MATRIX: "7e0cafdcfed5636319fb779f209230d38b6a3703b4b5f462ecb501fc6008f661",
}


def test_the_page_needs_a_session(browser) -> None:
    response = browser().get("/console/insights", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/sign-in"


def test_an_admin_gets_the_page_with_the_strict_policy(admin: Signed) -> None:
    response = admin.http.get("/console/insights")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "http" not in policy
    for script in ("common.js", CHART_JS, CHART_MATRIX, "insights.js"):
        assert f'<script src="/console/static/{script}" defer></script>' in response.text
    assert '<link rel="stylesheet" href="/console/static/insights.css">' in response.text
    assert "<script>" not in response.text  # nothing inline


def test_a_rep_gets_the_page_too_and_the_nav_links_to_it(rep: Signed) -> None:
    assert rep.http.get("/console/insights").status_code == 200
    assert 'href="/console/insights"' in rep.http.get("/console").text


def test_the_pinned_library_is_served_locally_as_vendored(rep: Signed) -> None:
    for name, digest in SHA256.items():
        response = rep.http.get(f"/console/static/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/javascript")
        assert hashlib.sha256(response.content).hexdigest() == digest
    licences = [name for name in VENDOR_FILES if "LICENSE" in name]
    assert len(licences) == 2
    for name in licences:
        assert "MIT" in rep.http.get(f"/console/static/{name}").text
    for name in ("insights.js", "insights.css"):
        assert rep.http.get(f"/console/static/{name}").status_code == 200


def test_nothing_else_is_served_from_vendor(rep: Signed) -> None:
    for path in (
        "/console/static/vendor/chart.js-4.5.1/chart.umd.min.js.map",
        "/console/static/vendor/chart.js-4.5.1/..%2F..%2Fconsole.js",
        "/console/static/vendor/other/chart.umd.min.js",
    ):
        assert rep.http.get(path).status_code == 404, path
