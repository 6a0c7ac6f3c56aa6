"""Read-only units of work (store/engine.py `read_scope`): on SQLite they begin DEFERRED and
so never wait for the write lock; on both stores they are refused any write."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.stack import free_port
from assistant.store.engine import get_engine, read_scope, session_scope
from assistant.store.models import Conversation, Practice

if TYPE_CHECKING:
    from tests.store.conftest import Clinic

# SQLite's busy timeout is 15 s: a read that queued behind the writer would take that long.
PROMPTLY = 5.0


@contextmanager
def write_lock_held(database_url: str) -> Iterator[None]:
    """Another connection in the middle of a write transaction (it holds SQLite's write lock)."""
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with session_scope(database_url) as session:
            session.execute(text("UPDATE practices SET name = name"))
            holding.set()
            assert release.wait(30)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    assert holding.wait(PROMPTLY)
    try:
        yield
    finally:
        release.set()
        thread.join(30)


def finishes_promptly(work: Callable[[], object]) -> object:
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(PROMPTLY)
    assert not thread.is_alive(), "the read waited for the write lock"
    return result[0]


def _sqlite_only(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL readers never wait for writers")


def test_a_read_does_not_wait_for_the_write_lock(db_url: str, clinic: Clinic) -> None:
    _sqlite_only(db_url)

    def read() -> object:
        with read_scope(db_url) as session:
            return session.scalar(select(Practice.name).where(Practice.id == clinic.practice_id))

    with write_lock_held(db_url):
        assert finishes_promptly(read) == "Test Practice"


def test_a_writer_still_waits_for_the_write_lock(db_url: str, clinic: Clinic) -> None:
    """The contrast that makes the test above mean something: writers queue, as before."""
    _sqlite_only(db_url)
    wrote = threading.Event()

    def write() -> None:
        with session_scope(db_url) as session:
            session.execute(text("UPDATE practices SET name = name"))
        wrote.set()

    with write_lock_held(db_url):
        threading.Thread(target=write, daemon=True).start()
        assert not wrote.wait(1.0)  # still queued while the lock is held (busy_timeout is 15 s)
    assert wrote.wait(PROMPTLY)


def test_a_read_scope_refuses_to_write(db_url: str, clinic: Clinic) -> None:
    with pytest.raises(DBAPIError), read_scope(db_url) as session:
        session.execute(text("UPDATE practices SET name = 'changed'"))
    with pytest.raises(DBAPIError), read_scope(db_url) as session:
        session.add(Conversation(practice_id=clinic.practice_id, channel="web"))
        session.flush()
    with session_scope(db_url) as session:
        assert session.scalar(select(Practice.name).where(Practice.id == clinic.practice_id)) == "Test Practice"
        session.execute(text("UPDATE practices SET name = 'written'"))  # a writer after a reader still can
    get_engine(db_url).dispose()


def test_the_chat_transcript_and_stream_token_do_not_wait_for_a_writer(demo_template: Path, tmp_path: Path) -> None:
    from tests.support.databases import copy_sqlite

    database_url = copy_sqlite(demo_template, tmp_path / "front-desk.db")
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = Settings(assistant_env="test", database_url=database_url, rasa_url=nowhere, action_server_url=nowhere)
    with TestClient(create_app(settings)) as gateway:
        created = gateway.post("/api/chat/sessions", json={}).json()
        path = f"/api/chat/sessions/{created['session_id']}"
        auth = {"Authorization": f"Bearer {created['token']}"}
        with write_lock_held(database_url):
            transcript = finishes_promptly(lambda: gateway.get(f"{path}/messages", headers=auth))
            minted = finishes_promptly(lambda: gateway.post(f"{path}/stream-token", headers=auth))
        assert transcript.status_code == 200 and transcript.json()["messages"] == []  # type: ignore[attr-defined]
        assert minted.status_code == 200  # type: ignore[attr-defined]
