"""Browser fixtures for the chat widget: Debian's Chromium, headless, driven by Playwright,
against the real stack (the `stack` fixture of tests/e2e/conftest.py).

When a browser test fails, screenshots of the page as it was and at a 360 px wide
phone viewport are saved under test-artifacts/ (CI keeps them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

from assistant.config import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
PHONE = {"width": 360, "height": 740}

_reports = pytest.StashKey[dict[str, pytest.TestReport]]()

# The bot runs a real model on small CI machines: give it time, but wait on conditions only.
expect.set_options(timeout=30_000)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Console:
    errors: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e and "favicon" not in e]


@pytest.fixture
def new_context(browser: Browser) -> Iterator:
    contexts: list[BrowserContext] = []

    def _new(**options) -> BrowserContext:
        context = browser.new_context(locale="en-US", timezone_id="America/New_York", **options)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(request: pytest.FixtureRequest, new_context, console: Console) -> Iterator[Page]:
    options = getattr(request, "param", None) or {}
    context = new_context(**options)
    context.on("console", console.record)
    page = context.new_page()
    page.on("pageerror", lambda error: console.errors.append(f"pageerror: {error}"))
    yield page
    reports = request.node.stash.get(_reports, {})
    if any(report.failed for report in reports.values()):
        save_screenshots(page, request.node.name)


def save_screenshots(page: Page, test_name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(ARTIFACTS / f"{stem}-360px.png"), full_page=True)
    except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the real failure
        print(f"could not save screenshots for {test_name}: {error}")
