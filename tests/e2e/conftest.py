"""The real stack (trained Rasa model, Rasa server, action server, gateway),
started once per test session on free ports against a throwaway database."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, REPORTS
from tests.support.clients import JORDAN, OwnClient, Shape, create_client
from tests.support.fake_twilio import FakeTwilio
from tests.support.stack import ChatClient, RunningStack, running_stack

E2E_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e/ needs the running stack: mark it `e2e`, so that
    `-m "not e2e"` (make test-fast) really leaves it out."""
    for item in items:
        if E2E_TESTS in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def fake_twilio_api() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, fake_twilio_api: FakeTwilio) -> Iterator[RunningStack]:
    workdir = tmp_path_factory.mktemp("stack")
    database_url = os.environ.get("E2E_DATABASE_URL") or f"sqlite:///{workdir / 'e2e.db'}"
    with running_stack(database_url, workdir, fake_twilio_api) as running:
        yield running


@pytest.fixture
def http(stack: RunningStack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url, timeout=60) as client:
        yield client


@pytest.fixture
def new_client(stack: RunningStack) -> Callable[..., OwnClient]:
    """Make a client only this test uses, shaped like a demo client (Jordan unless told):
    tests must not change the demo clients other tests see."""

    def _new(shape: Shape = JORDAN) -> OwnClient:
        return create_client(stack.database_url, shape)

    return _new


@pytest.fixture
def open_chat(http: httpx.Client):
    def _open(name: str | None = None, date_of_birth: str | None = None) -> ChatClient:
        body = {"name": name, "date_of_birth": date_of_birth} if name else {}
        response = http.post("/api/chat/sessions", json=body)
        assert response.status_code == 201, response.text
        created = response.json()
        return ChatClient(http, created["session_id"], created["token"], created["verified"])

    return _open


# Browser tests: one headless Chromium per session (tests/support/browser.py).


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the item, so fixtures can screenshot a failed test."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole session (one sync Playwright may run per process)."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
