"""Browser fixtures for the chat widget: Debian's Chromium, headless, driven by Playwright,
against the real stack (the `stack` fixture of tests/e2e/conftest.py).

When a browser test fails, screenshots of the page as it was and at a 360 px wide
phone viewport are saved under test-artifacts/ (CI keeps them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import ARTIFACTS, REPORTS, BrowserConsole

Console = BrowserConsole

PHONE = {"width": 360, "height": 740}

# The bot runs a real model on small CI machines: give it time, but wait on conditions only.
expect.set_options(timeout=30_000)


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
    return BrowserConsole()


@pytest.fixture
def page(request: pytest.FixtureRequest, new_context, console: Console) -> Iterator[Page]:
    options = getattr(request, "param", None) or {}
    context = new_context(**options)
    context.on("console", console.record)
    page = context.new_page()
    page.on("pageerror", lambda error: console.errors.append(f"pageerror: {error}"))
    yield page
    reports = request.node.stash.get(REPORTS, {})
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
