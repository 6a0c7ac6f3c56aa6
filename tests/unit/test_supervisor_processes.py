"""The supervisor with real (tiny) children: restarts with backoff, crash loops in the state
file, nothing left behind when the supervisor is SIGKILLed, a crashed stack's leftovers stopped.
No Rasa, no gateway: `sleep` and small Python programs stand in for the servers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT
from assistant.supervisor.policy import RestartPolicy
from assistant.supervisor.procfs import STACK_ID_VARIABLE, children_of, processes_of_stack
from assistant.supervisor.stale import clear_stale_stack
from assistant.supervisor.state import ChildRecord, StackRecord, child_reports, read_state, write_state
from assistant.supervisor.supervisor import Supervisor

SLEEPER = (["sleep", "300"], {})
# A server that spawns a process of its own, as Sanic and multiprocessing do.
WITH_GRANDCHILD = (
    [sys.executable, "-c", "import subprocess, time; subprocess.Popen(['sleep', '300']); time.sleep(300)"],
    {},
)
FAST = RestartPolicy(initial_delay=0.2, max_delay=0.8, reset_after=30, crash_loop_restarts=3, crash_loop_window=60)


def until(condition: Callable[[], object], timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} not met within {timeout}s"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"  # a zombie has already exited


@pytest.fixture
def make_supervisor(tmp_path: Path) -> Iterator[Callable[..., Supervisor]]:
    made: list[Supervisor] = []

    def _make(commands: dict[str, tuple[list[str], dict[str, str]]], policy: RestartPolicy = FAST) -> Supervisor:
        supervisor = Supervisor(
            commands=lambda name: (commands[name][0], {**os.environ, **commands[name][1]}),
            ports={name: 0 for name in commands},
            log_dir=tmp_path / "logs",
            state_path=tmp_path / "run" / "stack.json",
            cwd=PROJECT_ROOT,
            policy=policy,
        )
        made.append(supervisor)
        return supervisor

    yield _make
    for supervisor in made:
        supervisor.stop()


def test_a_killed_child_comes_back_after_the_backoff_and_the_others_keep_running(
    make_supervisor: Callable[..., Supervisor], tmp_path: Path
) -> None:
    supervisor = make_supervisor({"rasa": SLEEPER, "gateway": SLEEPER})
    for name in ("rasa", "gateway"):
        supervisor.spawn(name)
    supervisor.supervise()
    gateway = supervisor.processes()["gateway"].pid
    supervisor.kill("rasa")
    until(lambda: supervisor.generation("rasa") == 2, what="rasa restarted")
    assert supervisor.processes()["gateway"].pid == gateway  # untouched
    lines = [json.loads(line) for line in (tmp_path / "logs" / "supervisor.log").read_text().splitlines()]
    restarts = [line for line in lines if line["event"] == "child_restarting"]
    assert restarts == [
        {
            "ts": restarts[0]["ts"],
            "level": "warning",
            "event": "child_restarting",
            "process": "rasa",
            "exit_code": None,
            "signal": "SIGKILL",
            "attempt": 1,
            "next_delay_s": 0.2,
            "uptime_s": restarts[0]["uptime_s"],
            "crash_loop": False,
        }
    ]


def test_the_server_killed_inside_its_wrapper_is_reported_with_its_own_signal(
    make_supervisor: Callable[..., Supervisor], tmp_path: Path
) -> None:
    supervisor = make_supervisor({"actions": WITH_GRANDCHILD})
    wrapper = supervisor.spawn("actions").pid
    supervisor.supervise()
    until(lambda: len(processes_of_stack(supervisor.stack_id)) == 3, what="wrapper, server and grandchild up")
    server = children_of(wrapper)[0]
    grandchild = children_of(server)[0]
    os.kill(server, signal.SIGKILL)
    until(lambda: supervisor.generation("actions") == 2, what="actions restarted")
    until(lambda: not alive(grandchild), what="the old grandchild gone")  # it would hold the port
    journal = (tmp_path / "logs" / "supervisor.log").read_text()
    assert '"process": "actions", "exit_code": null, "signal": "SIGKILL"' in journal


def test_a_child_that_keeps_exiting_is_reported_as_a_crash_loop(make_supervisor: Callable[..., Supervisor]) -> None:
    supervisor = make_supervisor({"rasa": ([sys.executable, "-c", "raise SystemExit(3)"], {}), "gateway": SLEEPER})
    supervisor.spawn("rasa")
    supervisor.spawn("gateway")
    supervisor.supervise()

    def looping() -> list[str]:
        reports = child_reports(supervisor.state_path, policy=FAST) or []
        return [report.name for report in reports if report.crash_looping]

    until(lambda: looping() == ["rasa"], what="rasa reported as crash-looping")
    record = read_state(supervisor.state_path)
    assert record is not None and record.children["rasa"].last_exit == "exit code 3"
    assert record.children["gateway"].state == "running" and record.children["gateway"].restarts == 0


def test_stop_stops_every_child_and_its_group_and_removes_the_state_file(
    make_supervisor: Callable[..., Supervisor],
) -> None:
    supervisor = make_supervisor({"actions": WITH_GRANDCHILD, "rasa": SLEEPER})
    supervisor.spawn("actions")
    supervisor.spawn("rasa")
    supervisor.supervise()
    until(lambda: len(processes_of_stack(supervisor.stack_id)) == 5, what="all up")
    everything = processes_of_stack(supervisor.stack_id)
    supervisor.stop()
    assert not any(alive(pid) for pid in everything)
    assert not supervisor.state_path.exists()


SUPERVISOR_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from assistant.supervisor.supervisor import Supervisor
    import os
    grandchild = [sys.executable, "-c", "import subprocess, time; subprocess.Popen(['sleep', '300']); time.sleep(300)"]
    commands = {"actions": grandchild, "rasa": ["sleep", "300"], "gateway": ["sleep", "300"]}
    root = Path(sys.argv[1])
    supervisor = Supervisor(commands=lambda name: (commands[name], dict(os.environ)), ports=dict.fromkeys(commands, 0),
                            log_dir=root / "logs", state_path=root / "run" / "stack.json", cwd=Path.cwd())
    for name in commands:
        supervisor.spawn(name)
    supervisor.supervise()
    time.sleep(300)
    """
)


def test_children_and_grandchildren_die_with_a_sigkilled_supervisor(tmp_path: Path) -> None:
    state = tmp_path / "run" / "stack.json"
    process = subprocess.Popen([sys.executable, "-c", SUPERVISOR_SCRIPT, str(tmp_path)], cwd=PROJECT_ROOT)
    try:
        until(lambda: read_state(state) is not None, what="state file written")

        def ours() -> list[int]:
            record = read_state(state)
            return processes_of_stack(record.stack_id) if record else []

        until(lambda: len(ours()) == 7, what="3 wrappers, 3 servers and a grandchild")  # wrapper + server each
        everything = ours()
        process.kill()
        process.wait()
        until(lambda: not any(alive(pid) for pid in everything), timeout=20, what="every child gone")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_leftovers_of_a_crashed_stack_are_stopped_and_strangers_are_not(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()  # a supervisor that is dead (its pid may be reused: the start time tells)
    stack_id = "c" * 24
    ours = subprocess.Popen(["sleep", "300"], env={**os.environ, STACK_ID_VARIABLE: stack_id})
    stranger = subprocess.Popen(["sleep", "300"], env={**os.environ, STACK_ID_VARIABLE: "d" * 24})
    try:
        state = tmp_path / "stack.json"
        record = StackRecord(stack_id, gone.pid, 1, {"rasa": ChildRecord(pid=ours.pid, port=0, state="running")})
        write_state(state, record)
        assert clear_stale_stack(state, grace=5) == 1
        assert ours.wait(timeout=10) == -signal.SIGTERM
        assert stranger.poll() is None
        assert not state.exists()
    finally:
        for process in (ours, stranger):
            if process.poll() is None:
                process.kill()
                process.wait()
