"""Rep console against the real stack: a signed-in rep over HTTP, and a headless Chromium
(Debian's, driven by Playwright) for the browser tests.

When a browser test fails, a screenshot of the console is saved under test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

from assistant.config import PROJECT_ROOT
from tests.e2e.conftest import RunningStack

REP = ("frontdesk@lakeside.example", "demo-rep-password")
ADMIN = ("admin@lakeside.example", "demo-admin-password")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

_reports = pytest.StashKey[dict[str, pytest.TestReport]]()

expect.set_options(timeout=30_000)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


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


# Module scope, not session: only one sync Playwright may run at a time in a process, and
# tests/e2e/widget starts its own (session-scoped) one after these tests are done.
@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class BrowserLog:
    errors: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e and "favicon" not in e]


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def console_page(request: pytest.FixtureRequest, chromium: Browser, stack: RunningStack,
                 browser_log: BrowserLog) -> Iterator[Page]:
    context: BrowserContext = chromium.new_context(locale="en-US", timezone_id="America/New_York",
                                                   base_url=stack.url)
    context.grant_permissions(["notifications"], origin=stack.url)
    context.on("console", browser_log.record)
    page = context.new_page()
    page.on("pageerror", lambda error: browser_log.errors.append(f"pageerror: {error}"))
    try:
        yield page
    finally:
        reports = request.node.stash.get(_reports, {})
        if any(report.failed for report in reports.values()):
            ARTIFACTS.mkdir(exist_ok=True)
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            try:
                page.screenshot(path=str(ARTIFACTS / f"console-{stem}.png"), full_page=True)
            except Exception as error:  # noqa: BLE001 - never hide the real failure
                print(f"could not save a screenshot for {request.node.name}: {error}")
        context.close()
