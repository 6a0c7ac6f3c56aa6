"""The supervisor brings back whichever process dies, and nothing accepted is lost.

kill -9 of the gateway, Rasa or the action server while clients text (the session's real
stack, assistant/stack/): the supervisor restarts it, and every text a gateway accepted is
answered exactly once.  kill -9 of the supervisor itself (`assistant run`): every child and
grandchild exits, and the next `assistant run` stops what a crash left and starts normally."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from assistant.config import PROJECT_ROOT
from assistant.stack import free_port, port_is_free
from assistant.supervisor.procfs import STACK_ID_VARIABLE, is_running, processes_of_stack
from assistant.supervisor.state import read_state
from assistant.training import ensure_model
from tests.support.clients import OwnClient
from tests.support.databases import copy_sqlite
from tests.support.stack import RunningStack
from tests.support.stack_sms import replies_to
from tests.support.texting_load import Texters, assert_answered_once_in_order

# Each goes through Rasa and, for the appointment questions, the action server.
BANNER = "The front desk is running."
TEXTS = ("hi", "when is my next session", "whats my zoom link", "thanks")


def until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f}s"
        time.sleep(0.2)


@pytest.mark.parametrize("victim", ["rasa", "actions", "gateway"])
def test_a_killed_child_is_restarted_and_every_accepted_text_is_answered_once(
    stack: RunningStack, new_client: Callable[[], OwnClient], victim: str
) -> None:
    processes = stack.processes
    numbers = [new_client().mobile for _ in range(6)]
    before = processes.supervisor.generation(victim)

    def crash() -> None:  # kill -9 of the server itself, as the OOM killer or a user would
        os.kill(processes.server_pid(victim), signal.SIGKILL)

    texters = Texters(stack)
    texters.run(numbers, TEXTS, during=crash)
    processes.wait_restarted(victim, timeout=180, after_generation=before)
    assert processes.supervisor.generation(victim) == before + 1  # restarted once, not in a loop
    for form in texters.accepted:
        assert replies_to(stack, form, timeout=180), form["Body"]
    if victim != "gateway":  # the gateway stayed up: it accepted every text
        assert len(texters.accepted) == len(numbers) * len(TEXTS)
    assert_answered_once_in_order(stack.database_url, stack.twilio, texters.accepted)
    journal = (stack.log_dir / "supervisor.log").read_text()
    assert f'"event": "child_restarting", "process": "{victim}", "exit_code": null, "signal": "SIGKILL"' in journal


def _start_run(var_dir: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with open(var_dir / "assistant-run.out", "ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "run", "--var-dir", str(var_dir)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_killed_supervisor_takes_its_children_along_and_the_next_start_cleans_up(
    tmp_path: Path, demo_template: Path
) -> None:
    ensure_model()  # trained here if the data changed, not inside `assistant run`'s start-up
    database_url = copy_sqlite(demo_template, tmp_path / "run.db")
    ports = {"PORT": free_port(), "RASA_PORT": free_port(), "ACTION_PORT": free_port()}
    env = {
        **os.environ,
        **{name: str(port) for name, port in ports.items()},
        "DATABASE_URL": database_url,
        "ASSISTANT_ENV": "test",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports['PORT']}",
    }
    url, state = f"http://127.0.0.1:{ports['PORT']}", tmp_path / "run" / "stack.json"
    log = tmp_path / "assistant-run.out"
    supervisor = _start_run(tmp_path, env)
    strays: list[subprocess.Popen[bytes]] = []  # this test's own helpers, stopped whatever happens
    try:
        until(lambda: _healthy(url) or supervisor.poll() is not None, 240, "the stack up")
        assert supervisor.poll() is None, log.read_text()
        record = read_state(state)
        assert record is not None and record.supervisor_pid == supervisor.pid
        everything = processes_of_stack(record.stack_id)
        assert len(everything) >= 6  # three wrappers, three servers (and the servers' own helpers)

        supervisor.kill()  # SIGKILL: no handler of the supervisor runs
        supervisor.wait()
        until(lambda: not any(is_running(pid) for pid in everything), 30, "every child gone")
        assert all(port_is_free(port) for port in ports.values())
        assert state.exists()  # left behind: nobody was there to remove it

        # What a crash can leave: a process of that stack still holding the gateway's port.
        leftover = subprocess.Popen(
            [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(ports["PORT"])],
            env={**os.environ, STACK_ID_VARIABLE: record.stack_id},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        strays.append(leftover)
        until(lambda: not port_is_free(ports["PORT"]), 20, "the leftover listening")
        stranger = subprocess.Popen(["sleep", "300"])  # not of that stack: must survive
        strays.append(stranger)
        banners = log.read_text().count(BANNER)
        supervisor = _start_run(tmp_path, env)
        assert leftover.wait(timeout=60) == -signal.SIGTERM  # stopped by the next start
        until(lambda: _healthy(url) or supervisor.poll() is not None, 240, "the stack up again")
        assert supervisor.poll() is None, log.read_text()
        assert stranger.poll() is None
        record = read_state(state)
        assert record is not None and record.supervisor_pid == supervisor.pid
        everything = processes_of_stack(record.stack_id)
        until(lambda: log.read_text().count(BANNER) > banners, 30, "start-up finished")

        supervisor.send_signal(signal.SIGTERM)  # a clean stop stops everything and tidies up
        assert supervisor.wait(timeout=60) == 0
        assert not any(is_running(pid) for pid in everything)
        assert not state.exists()
    finally:
        for process in [supervisor, *strays]:
            if process.poll() is None:
                process.kill()
                process.wait()
