"""Headless Chromium for the browser tests: where it is, how it starts, what it logged,
where screenshots of failed tests go, and signing in to the console."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from assistant.config import PROJECT_ROOT

# Debian's Chromium (installed by .ci/run), driven by Playwright.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# Each phase's report, kept on the item (by tests/e2e/conftest.py) so fixtures can
# screenshot a failed test.
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


def failed(request: pytest.FixtureRequest) -> bool:
    """Whether any phase of the requesting test has failed so far."""
    reports = request.node.stash.get(REPORTS, {})
    return any(report.failed for report in reports.values())


@dataclass
class BrowserConsole:
    """Errors the page logged, to catch script errors and CSP violations."""

    errors: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e and "favicon" not in e]


def sign_in_console(page: Page, email: str, password: str) -> None:
    """Sign in at /console/sign-in as a rep and land on the queue."""
    page.goto("/console/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console$"))
