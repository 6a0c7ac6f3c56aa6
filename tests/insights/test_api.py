"""The insights API: who may see what, bad input, and CSVs that are exactly the plotted numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.main import create_app
from assistant.services.insights import PANELS
from tests.support.console import ADMIN, REP, Signed, make_settings, sign_in

QUEUE_HEALTH = [key for key, (text, _) in PANELS.items() if text.group == "queue_health"]
OWNER_ONLY = [key for key, (text, _) in PANELS.items() if text.group == "owner"]
PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture
def app(demo_database_url: str) -> Iterator[FastAPI]:
    application = create_app(make_settings(demo_database_url))
    with TestClient(application, base_url="http://localhost"):
        yield application


@pytest.fixture
def admin(app: FastAPI) -> Signed:
    return sign_in(TestClient(app, base_url="http://localhost"), *ADMIN)


@pytest.fixture
def rep(app: FastAPI) -> Signed:
    return sign_in(TestClient(app, base_url="http://localhost"), *REP)


def test_signed_out_is_401(app: FastAPI) -> None:
    anonymous = TestClient(app, base_url="http://localhost")
    assert anonymous.get("/api/rep/insights").status_code == 401
    assert anonymous.get("/api/rep/insights/containment.csv").status_code == 401


def test_an_admin_gets_every_panel_in_one_uniform_shape(admin: Signed) -> None:
    response = admin.get("/api/rep/insights", params=PERIOD)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["scope"] == "owner"
    assert [panel["key"] for panel in body["panels"]] == list(PANELS)
    assert body["range"] == {
        "date_from": "2026-01-01",
        "date_to": "2026-12-31",
        "days": 365,
        "bucket": "week",
        "channel": "all",
        "timezone": body["range"]["timezone"],
    }
    for panel in body["panels"]:
        assert panel["status"] in ("ok", "not_yet_used")
        assert panel["definition"] and panel["title"]
        xs = [point["x"] for point in panel["series"][0]["points"]]
        assert all([point["x"] for point in series["points"]] == xs for series in panel["series"])


def test_a_rep_gets_the_queue_health_panels_only(rep: Signed) -> None:
    body = rep.get("/api/rep/insights", params=PERIOD).json()
    assert body["scope"] == "queue_health"
    assert [panel["key"] for panel in body["panels"]] == QUEUE_HEALTH


@pytest.mark.parametrize("key", OWNER_ONLY)
def test_a_rep_gets_403_for_an_owner_panels_csv(rep: Signed, key: str) -> None:
    assert rep.get(f"/api/rep/insights/{key}.csv", params=PERIOD).status_code == 403


def test_a_rep_may_download_a_queue_health_csv(rep: Signed) -> None:
    response = rep.get("/api/rep/insights/first_reply.csv", params=PERIOD)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")


def _csv(response_text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response_text)))


def _cell(value: object) -> str:
    return "" if value is None else str(value)


@pytest.mark.parametrize("query", [PERIOD, {"from": "2026-11-01", "to": "2026-11-30", "channel": "web"}])
def test_every_csv_is_exactly_the_numbers_plotted(admin: Signed, query: dict[str, str]) -> None:
    body = admin.get("/api/rep/insights", params=query).json()
    for panel in body["panels"]:
        response = admin.get(f"/api/rep/insights/{panel['key']}.csv", params=query)
        assert response.status_code == 200, panel["key"]
        assert 'attachment; filename="lakeside-' in response.headers["content-disposition"]
        header, *rows = _csv(response.text)
        assert header == [panel["x_label"], *(series["name"] for series in panel["series"])]
        plotted = [
            [x, *(_cell(series["points"][index]["y"]) for series in panel["series"])]
            for index, x in enumerate(point["x"] for point in panel["series"][0]["points"])
        ]
        assert rows == plotted, panel["key"]
        assert rows == [[_cell(cell) for cell in row] for row in panel["table"]["rows"]], panel["key"]


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-02-30"},
        {"from": "yesterday"},
        {"from": "2026-11-10", "to": "2026-11-01"},
        {"from": "2020-01-01", "to": "2026-01-01"},
        {"channel": "fax"},
    ],
)
def test_a_bad_period_or_channel_is_422(admin: Signed, query: dict[str, str]) -> None:
    assert admin.get("/api/rep/insights", params=query).status_code == 422
    assert admin.get("/api/rep/insights/containment.csv", params=query).status_code == 422


def test_an_unknown_panel_is_not_served(admin: Signed) -> None:
    assert admin.get("/api/rep/insights/passwords.csv").status_code in (404, 422)


def test_no_client_details_in_the_response(admin: Signed) -> None:
    text = admin.get("/api/rep/insights", params=PERIOD).text
    for private in ("Jordan", "Priya", "+1555", "@lakeside"):
        assert private not in text
