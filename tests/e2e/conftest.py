"""The real stack (trained Rasa model, Rasa server, action server, gateway),
started once per test session on free ports against a throwaway database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, sync_playwright

from assistant.demo import load_demo_data
from assistant.stack import Stack, StackConfig, free_port
from assistant.store.engine import session_scope
from assistant.store.migrate import upgrade
from assistant.config import PROJECT_ROOT
from assistant.training import ensure_model
from tests.support.fake_twilio import FakeTwilio


TWILIO_ACCOUNT_SID = "AC" + "2" * 32
TWILIO_AUTH_TOKEN = "e2e-twilio-auth-token"


@dataclass
class RunningStack:
    url: str
    database_url: str
    log_dir: Path
    processes: Stack
    twilio: FakeTwilio


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
    config = StackConfig(model=model, database_url=database_url, gateway_port=gateway_port,
                         rasa_port=free_port(), action_port=free_port(), log_dir=workdir / "logs",
                         extra_env={"ASSISTANT_ENV": "test",
                                    "PUBLIC_BASE_URL": f"http://127.0.0.1:{gateway_port}",
                                    # Texts really go through twilio.rest.Client, to a local fake API.
                                    "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
                                    "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
                                    "TWILIO_API_BASE_URL": fake_twilio_api.url})
    running = Stack(config)
    running.start()
    try:
        yield RunningStack(url=config.gateway_url, database_url=database_url, log_dir=config.log_dir,
                           processes=running, twilio=fake_twilio_api)
    finally:
        running.stop()


class ChatClient:
    """A web chat session driven through the public JSON API, as the widget would."""

    def __init__(self, http: httpx.Client, session_id: str, token: str, verified: bool) -> None:
        self.http, self.session_id, self.token, self.verified = http, session_id, token, verified
        self.state = "bot"

    def send(self, text: str) -> list[dict]:
        response = self.http.post(f"/api/chat/sessions/{self.session_id}/messages",
                                  json={"text": text}, headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code == 200, response.text
        body = response.json()
        self.state = body["state"]
        return body["replies"]

    def say(self, text: str) -> str:
        """Send and return all reply texts joined, for assertions."""
        return "\n".join(reply["text"] for reply in self.send(text))


@pytest.fixture
def http(stack: RunningStack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url, timeout=60) as client:
        yield client


@pytest.fixture
def open_chat(http: httpx.Client):
    def _open(name: str | None = None, date_of_birth: str | None = None) -> ChatClient:
        body = {"name": name, "date_of_birth": date_of_birth} if name else {}
        response = http.post("/api/chat/sessions", json=body)
        assert response.status_code == 201, response.text
        created = response.json()
        return ChatClient(http, created["session_id"], created["token"], created["verified"])

    return _open


# Browser tests: Debian's Chromium (installed by .ci/run), headless, driven by Playwright.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the item, so fixtures can screenshot a failed test."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def test_failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(REPORTS, {})
    return any(report.failed for report in reports.values())


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


@dataclass
class BrowserConsole:
    """Errors the page logged, to catch script errors and CSP violations."""

    errors: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e and "favicon" not in e]
