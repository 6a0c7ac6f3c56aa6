"""The real stack (trained Rasa model, Rasa server, action server, gateway),
started once per test session on free ports against a throwaway database."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from assistant.demo import load_demo_data
from assistant.stack import Stack, StackConfig, free_port
from assistant.store.engine import session_scope
from assistant.store.migrate import upgrade
from assistant.training import ensure_model
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, REPORTS
from tests.support.clients import JORDAN, OwnClient, Shape, create_client
from tests.support.fake_twilio import FakeTwilio
from tests.support.stack import (
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    ChatClient,
    RunningStack,
)

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
    model = ensure_model()  # reuses the model cached under models/ when inputs are unchanged
    workdir = tmp_path_factory.mktemp("stack")
    database_url = os.environ.get("E2E_DATABASE_URL") or f"sqlite:///{workdir / 'e2e.db'}"
    upgrade(database_url)
    with session_scope(database_url) as session:
        load_demo_data(session)
    gateway_port = free_port()
    config = StackConfig(
        model=model,
        database_url=database_url,
        gateway_port=gateway_port,
        rasa_port=free_port(),
        action_port=free_port(),
        log_dir=workdir / "logs",
        extra_env={
            "ASSISTANT_ENV": "test",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{gateway_port}",
            # Texts really go through twilio.rest.Client, to a local fake API.
            "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
            "TWILIO_API_BASE_URL": fake_twilio_api.url,
        },
    )
    running = Stack(config)
    running.start()
    try:
        yield RunningStack(
            url=config.gateway_url,
            database_url=database_url,
            log_dir=config.log_dir,
            processes=running,
            twilio=fake_twilio_api,
        )
    finally:
        running.stop()


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
