"""Two real gateway processes on one PostgreSQL database answer one conversation's
messages in order (conversation/ordering.py: an advisory lock held for the turn).

Message 1 goes to gateway A, whose bot (a fake Rasa the test holds) is slow to answer;
message 2 goes to gateway B meanwhile.  B must not reach the bot until A's turn is over:
the test sees B's turn waiting on the lock (pg_locks), checks the bot has still heard only
message 1, lets the bot answer, and finds both answers stored in order.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text

from assistant.stack import free_port
from assistant.store.engine import get_engine, session_scope
from assistant.store.models import Author, Direction, Message
from tests.support import backends
from tests.support.fake_rasa import FakeRasa
from tests.support.sms_gateway import wait_until

pytestmark = pytest.mark.postgres

postgres_demo_template = backends.postgres_demo_template
PROJECT = Path(__file__).resolve().parents[2]
DEADLINE = 30.0


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    server = backends.postgres_server_url()
    name = backends.create_postgres_database(server, template=request.getfixturevalue("postgres_demo_template"))
    url = backends.url_on_server(server, name)
    yield url
    get_engine(url).dispose()
    backends.drop_postgres_database(server, name)


@pytest.fixture
def bot() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    fake.replies = {words: [{"text": f"answer to {words}"}] for words in ("first", "second")}
    fake.start()
    yield fake
    fake.stop()


def _start_gateway(database_url: str, bot_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "ASSISTANT_ENV": "test",
        "DATABASE_URL": database_url,
        "RASA_URL": bot_url,
        "RASA_URLS": "",
        "ACTION_SERVER_URL": bot_url,  # the fake answers /health too
        "REDIS_URL": "",
        "PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "assistant.api.main:app_from_env", "--factory", "--port", str(port)],
        cwd=PROJECT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}"


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def gateways(database_url: str, bot: FakeRasa, tmp_path: Path) -> Iterator[list[str]]:
    started = [_start_gateway(database_url, bot.url, tmp_path / f"gateway-{i}.log") for i in range(2)]
    try:
        for index, (process, url) in enumerate(started):
            wait_until(lambda p=process, u=url: _up(u) or p.poll() is not None, DEADLINE)  # type: ignore[misc]
            assert process.poll() is None, (tmp_path / f"gateway-{index}.log").read_text()[-3000:]
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            process.wait(timeout=DEADLINE)


def _waiting_on_a_conversation_lock(database_url: str) -> bool:
    with get_engine(database_url).connect() as connection:
        return bool(
            connection.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
        )


def _answers(database_url: str, conversation_id: str) -> list[str]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(Message.text)
                .where(
                    Message.conversation_id == conversation_id,
                    Message.direction == Direction.OUTBOUND,
                    Message.author == Author.BOT,
                )
                .order_by(Message.id)
            )
        )


def test_two_gateways_answer_one_conversation_in_order(gateways: list[str], bot: FakeRasa, database_url: str) -> None:
    a, b = (httpx.Client(base_url=url, timeout=DEADLINE) for url in gateways)
    created = a.post("/api/chat/sessions", json={}).json()
    path = f"/api/chat/sessions/{created['session_id']}/messages"
    auth = {"Authorization": f"Bearer {created['token']}"}
    replies: dict[str, object] = {}

    def send(client: httpx.Client, words: str) -> None:
        replies[words] = client.post(path, json={"text": words}, headers=auth).json()

    bot.hold.clear()  # the bot answers nothing until the test says so
    first = threading.Thread(target=send, args=(a, "first"))
    first.start()
    wait_until(lambda: bot.heard == ["first"], DEADLINE)
    second = threading.Thread(target=send, args=(b, "second"))
    second.start()
    wait_until(lambda: _waiting_on_a_conversation_lock(database_url) or not second.is_alive(), DEADLINE)

    assert bot.heard == ["first"], "gateway B answered message 2 while gateway A was answering message 1"
    bot.hold.set()
    first.join(DEADLINE)
    second.join(DEADLINE)

    assert bot.heard == ["first", "second"]
    assert _answers(database_url, created["session_id"]) == ["answer to first", "answer to second"]
    assert replies["second"] == {"replies": [{"text": "answer to second", "buttons": []}], "state": "bot"}
    a.close()
    b.close()
