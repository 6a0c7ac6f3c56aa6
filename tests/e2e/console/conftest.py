"""Rep console against the real stack: a signed-in rep over HTTP, and a headless Chromium
(Debian's, driven by Playwright) for the browser tests.

When a browser test fails, a screenshot of the console is saved under test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import ARTIFACTS, REPORTS, BrowserConsole
from tests.support.console import REP
from tests.support.stack import RunningStack

expect.set_options(timeout=30_000)


@dataclass
class RepClient:
    """A rep signed in through the JSON API (cookie jar + CSRF token)."""

    http: httpx.Client
    csrf: str
    rep: dict

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def post(self, path: str, json: dict | None = None) -> httpx.Response:
        return self.http.post(path, json=json, headers={"X-CSRF-Token": self.csrf})

    def queue(self) -> list[dict]:
        response = self.get("/api/rep/conversations")
        assert response.status_code == 200, response.text
        return response.json()["conversations"]


@pytest.fixture
def sign_in_rep(stack: RunningStack) -> Iterator[Callable[..., RepClient]]:
    clients: list[httpx.Client] = []

    def _sign_in(email: str = REP[0], password: str = REP[1]) -> RepClient:
        http = httpx.Client(base_url=stack.url, timeout=60)
        clients.append(http)
        response = http.post("/api/rep/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        body = response.json()
        return RepClient(http, body["csrf_token"], body["rep"])

    yield _sign_in
    for http in clients:
        http.close()


BrowserLog = BrowserConsole  # what the console's browser tests call it


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def browser_zone() -> str:
    """The time zone of the rep's browser (the demo practice's own); a module may override it."""
    return "America/New_York"


@pytest.fixture
def console_page(
    request: pytest.FixtureRequest, browser: Browser, stack: RunningStack, browser_log: BrowserLog, browser_zone: str
) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(locale="en-US", timezone_id=browser_zone, base_url=stack.url)
    context.grant_permissions(["notifications"], origin=stack.url)
    context.on("console", browser_log.record)
    page = context.new_page()
    page.on("pageerror", lambda error: browser_log.errors.append(f"pageerror: {error}"))
    try:
        yield page
    finally:
        reports = request.node.stash.get(REPORTS, {})
        if any(report.failed for report in reports.values()):
            ARTIFACTS.mkdir(exist_ok=True)
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            try:
                page.screenshot(path=str(ARTIFACTS / f"console-{stem}.png"), full_page=True)
            except Exception as error:  # noqa: BLE001 - never hide the real failure
                print(f"could not save a screenshot for {request.node.name}: {error}")
        context.close()
