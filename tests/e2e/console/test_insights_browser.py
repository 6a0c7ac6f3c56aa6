"""The insights page in a real browser against the real stack, on the demo history: every chart
is drawn with data, the period switch redraws them, the CSV holds exactly the plotted numbers,
a rep who is not an admin sees the queue-health panels only, and axe finds no violations at
1280 px and 360 px."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from assistant.demo.history import load_demo_history
from assistant.store.engine import session_scope
from tests.support.accessibility import axe_violations
from tests.support.browser import BrowserConsole, sign_in_console
from tests.support.console import ADMIN, REP
from tests.support.stack import RunningStack

QUEUE_HEALTH = {"conversations_per_day", "message_heatmap", "handoffs_by_reason", "first_reply"}
# Per chart: its panel, the number of x values and the numbers it plots (datasets in order).
CHARTS = """() => [...document.querySelectorAll("canvas[data-panel]")].map((canvas) => {
  const chart = Chart.getChart(canvas);
  const datasets = chart ? chart.data.datasets : [];
  const matrix = chart && chart.config.type === "matrix";
  return {
    key: canvas.dataset.panel,
    type: chart ? chart.config.type : null,
    labels: matrix ? chart.options.scales.x.labels.length : chart ? chart.data.labels.length : 0,
    values: datasets.map((d) => d.data.map((v) => (v !== null && typeof v === "object" ? v.v : v))),
  };
})"""


@pytest.fixture(scope="module")
def demo_history(stack: RunningStack) -> None:
    """The demo practice's 90 days of history (added once: loading it again adds nothing)."""
    with session_scope(stack.database_url) as session:
        load_demo_history(session, days=90)


def sign_in(page: Page, account: tuple[str, str]) -> None:
    sign_in_console(page, *account)


def open_insights(page: Page) -> None:
    page.get_by_role("link", name="Insights").click()
    # The page writes its period into the address (?range=...) as soon as its script runs:
    # with or without it, this is the insights page.
    expect(page).to_have_url(re.compile(r"/console/insights(\?[^#]*)?$"))
    expect(page.locator("#panels")).to_have_attribute("aria-busy", "false")


def charts(page: Page) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = page.evaluate(CHARTS)
    return result


def plotted_sum(chart: dict[str, Any]) -> float:
    return sum(v for values in chart["values"] for v in values if v is not None)


def test_every_chart_is_drawn_and_the_period_switch_redraws_them(
    console_page: Page, demo_history: None, browser_log: BrowserConsole
) -> None:
    page = console_page
    sign_in(page, ADMIN)
    open_insights(page)
    drawn = charts(page)
    assert len(drawn) == page.locator("section.panel").count() >= 12  # every panel has data: none "not yet used"
    for chart in drawn:
        assert chart["type"] in ("bar", "line", "matrix"), chart["key"]
        assert chart["labels"] > 0 and plotted_sum(chart) > 0, chart["key"]
    thirty = {chart["key"]: chart for chart in drawn}
    assert thirty["conversations_per_day"]["labels"] == 30
    assert axe_violations(page) == []

    page.get_by_label("Last 7 days").check()
    expect(page.locator("#range-summary")).to_contain_text("(7 days, by day)")
    seven = {chart["key"]: chart for chart in charts(page)}
    assert seven["conversations_per_day"]["labels"] == 7
    assert plotted_sum(seven["conversations_per_day"]) < plotted_sum(thirty["conversations_per_day"])
    page.reload()  # the choice is kept in the address: a view can be bookmarked or forwarded
    expect(page.get_by_label("Last 7 days")).to_be_checked()
    expect(page.locator("#range-summary")).to_contain_text("(7 days, by day)")

    page.get_by_label("Custom").check()
    last = page.locator("#insights").get_attribute("data-to")
    assert last is not None
    first = (dt.date.fromisoformat(last) - dt.timedelta(days=13)).isoformat()
    page.get_by_label("From").fill(first)
    page.get_by_label("To", exact=True).fill(last)
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#range-summary")).to_contain_text(f"{first} to {last} (14 days, by day)")
    assert {chart["key"]: chart for chart in charts(page)}["conversations_per_day"]["labels"] == 14

    page.get_by_label("Last 90 days").check()
    expect(page.locator("#range-summary")).to_contain_text("(90 days, by week)")
    ninety = {chart["key"]: chart for chart in charts(page)}
    assert plotted_sum(ninety["conversations_per_day"]) > plotted_sum(thirty["conversations_per_day"])

    page.get_by_label("Channel", exact=True).select_option("voice")
    expect(page.locator("#range-summary")).to_contain_text("voice")
    assert page.locator("#panel-reminders .not-yet-used").is_visible()  # reminders are texts: no voice data
    assert browser_log.csp_violations() == []
    assert [error for error in browser_log.errors if error.startswith("pageerror")] == []


def test_the_data_table_and_the_csv_hold_exactly_the_plotted_numbers(console_page: Page, demo_history: None) -> None:
    page = console_page
    sign_in(page, ADMIN)
    open_insights(page)
    plotted = {chart["key"]: chart for chart in charts(page)}
    for key in ("conversations_per_day", "containment", "handoffs_by_reason", "reminders"):
        panel = page.locator(f"#panel-{key}")
        panel.get_by_role("button", name=re.compile("^Show data")).click()
        table = panel.get_by_role("table")
        expect(table).to_be_visible()
        body_rows = table.locator("tbody tr").count()
        assert body_rows == plotted[key]["labels"]
        href = panel.get_by_role("link", name=re.compile("^Download CSV")).get_attribute("href")
        assert href is not None
        response = page.request.get(href)
        assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text())))
        header = [cell.text_content() for cell in table.locator("thead th").all()]
        assert rows[0] == header
        columns = [[_number(row[index]) for row in rows[1:]] for index in range(1, len(rows[0]))]
        assert columns == [[_rounded(v) for v in values] for values in plotted[key]["values"]], key


def test_a_rep_sees_the_queue_health_panels_only(console_page: Page, demo_history: None) -> None:
    page = console_page
    sign_in(page, REP)
    open_insights(page)
    keys = {chart["key"] for chart in charts(page)}
    assert keys and keys <= QUEUE_HEALTH
    assert page.locator("#panel-containment").count() == 0
    assert page.request.get("/api/rep/insights/containment.csv").status == 403


def test_the_page_reads_at_360_px(console_page: Page, demo_history: None) -> None:
    page = console_page
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, ADMIN)
    open_insights(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    for chart in charts(page):
        assert plotted_sum(chart) > 0, chart["key"]
    assert axe_violations(page) == []


def _number(text: str) -> float | None:
    return None if text == "" else _rounded(float(text))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)
