"""A crash loop in the supervisor's state file shows in `/healthz` (a field, not a failure)
and in `assistant doctor`."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.doctor import _supervised
from assistant.stack import free_port
from assistant.supervisor.procfs import start_ticks
from assistant.supervisor.state import STATE_FILE_VARIABLE, ChildRecord, StackRecord, write_state


def _write(path: Path, *, supervisor_pid: int, looping: bool) -> None:
    now = time.time()
    times = [now - n for n in range(6)] if looping else [now - 500]
    children = {
        "rasa": ChildRecord(pid=None, port=5005, state="restarting", restarts=len(times), restart_times=times,
                            last_exit="exit code 1"),
        "gateway": ChildRecord(pid=os.getpid(), port=8000, state="running"),
    }  # fmt: skip
    write_state(path, StackRecord("e" * 24, supervisor_pid, start_ticks(supervisor_pid), children))


def _recycle_pid(state: Path) -> None:
    """Same pid, another start time: what a pid recycled by a stranger looks like."""
    ticks = f'"supervisor_ticks": {start_ticks(os.getpid())}'
    state.write_text(state.read_text().replace(ticks, '"supervisor_ticks": 1'))


@pytest.fixture
def gateway(demo_database_url: str) -> Iterator[TestClient]:
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = Settings(
        assistant_env="test", database_url=demo_database_url, rasa_url=nowhere, action_server_url=nowhere
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_healthz_names_a_crash_looping_process(
    gateway: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "stack.json"
    monkeypatch.setenv(STATE_FILE_VARIABLE, str(state))
    assert gateway.get("/healthz").json()["crash_looping"] == []  # no state file yet
    _write(state, supervisor_pid=os.getpid(), looping=True)
    response = gateway.get("/healthz")
    assert response.status_code == 503  # Rasa is down here: the status still says so, not a 500
    assert response.json()["crash_looping"] == ["rasa"]
    _write(state, supervisor_pid=os.getpid(), looping=False)
    assert gateway.get("/healthz").json()["crash_looping"] == []


def test_a_dead_supervisors_state_reports_nothing(
    gateway: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "stack.json"
    _write(state, supervisor_pid=os.getpid(), looping=True)
    _recycle_pid(state)
    monkeypatch.setenv(STATE_FILE_VARIABLE, str(state))
    assert gateway.get("/healthz").json()["crash_looping"] == []


def test_doctor_says_which_process_crash_loops(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "run" / "stack.json"
    _write(state, supervisor_pid=os.getpid(), looping=True)
    assert _supervised(state) == [True, False]  # gateway, rasa (sorted by name)
    out = capsys.readouterr().out
    assert "FIX  rasa is crash-looping (6 restarts, last exit code 1)" in out
    assert "ok   supervised: gateway running (0 restarts)" in out


def test_doctor_mentions_a_stack_left_by_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "run" / "stack.json"
    _write(state, supervisor_pid=os.getpid(), looping=False)
    _recycle_pid(state)
    assert _supervised(state) == []
    assert "the next `make run` stops it first" in capsys.readouterr().out
