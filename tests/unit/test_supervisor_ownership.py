"""Whose processes a stale state file may stop: ours only, checked against a fake /proc."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from assistant.supervisor.procfs import (
    STACK_ID_VARIABLE,
    carries_stack_id,
    is_same_process,
    processes_of_stack,
    start_ticks,
)
from assistant.supervisor.stale import StackAlreadyRunning, clear_stale_stack
from assistant.supervisor.state import (
    ChildRecord,
    StackRecord,
    child_reports,
    read_state,
    supervisor_alive,
    write_state,
)

OURS, OTHER = "a" * 24, "b" * 24
ME = 1  # the test's own pid in the fake /proc: never a candidate


class FakeProc:
    """A /proc with the processes a test puts in it; `kill` records signals, and a killed
    process disappears (as it would)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.signals: list[tuple[int, int]] = []

    def add(self, pid: int, *, ticks: int, env: dict[str, str] | None = None, comm: str = "python") -> None:
        folder = self.root / str(pid)
        folder.mkdir(parents=True)
        # Fields 3..: state ppid pgrp, 16 more, then starttime (field 22).
        (folder / "stat").write_text(f"{pid} ({comm}) S 1 {pid} " + "0 " * 16 + f"{ticks} 0 0\n")
        if env is not None:
            (folder / "environ").write_bytes(b"\0".join(f"{k}={v}".encode() for k, v in env.items()) + b"\0")

    def kill(self, pid: int, signum: int) -> None:
        self.signals.append((pid, signum))
        for entry in (self.root / str(pid)).iterdir():
            entry.unlink()
        (self.root / str(pid)).rmdir()


@pytest.fixture
def proc(tmp_path: Path) -> FakeProc:
    return FakeProc(tmp_path / "proc")


def _state(tmp_path: Path, *, supervisor_pid: int, ticks: int) -> Path:
    path = tmp_path / "run" / "stack.json"
    children = {"rasa": ChildRecord(pid=201, port=5005, state="running")}
    write_state(path, StackRecord(OURS, supervisor_pid, ticks, children))
    return path


def test_start_time_is_read_past_a_command_name_with_spaces_and_parentheses(proc: FakeProc) -> None:
    proc.add(10, ticks=777, comm="odd ) name (x")
    assert start_ticks(10, proc.root) == 777
    assert start_ticks(11, proc.root) is None


def test_a_recycled_pid_is_not_the_same_process(proc: FakeProc) -> None:
    proc.add(10, ticks=500)
    assert is_same_process(10, 500, proc.root)
    assert not is_same_process(10, 499, proc.root)
    assert not is_same_process(10, None, proc.root)


def test_only_processes_carrying_our_stack_id_are_ours(proc: FakeProc) -> None:
    proc.add(ME, ticks=1, env={STACK_ID_VARIABLE: OURS})
    proc.add(20, ticks=5, env={STACK_ID_VARIABLE: OURS, "HOME": "/root"})
    proc.add(21, ticks=5, env={STACK_ID_VARIABLE: OTHER})
    proc.add(22, ticks=5, env={"X": f"{STACK_ID_VARIABLE}={OURS}"})  # mentioned in another variable
    proc.add(23, ticks=5)  # environment not readable (another user's)
    assert carries_stack_id(20, OURS, proc.root)
    assert not carries_stack_id(20, "", proc.root)
    assert processes_of_stack(OURS, proc.root, exclude=ME) == [20]


def test_a_live_supervisor_is_never_taken_for_a_crashed_one(tmp_path: Path, proc: FakeProc) -> None:
    proc.add(100, ticks=42)
    path = _state(tmp_path, supervisor_pid=100, ticks=42)
    assert supervisor_alive(read_state(path), proc.root)  # type: ignore[arg-type]
    with pytest.raises(StackAlreadyRunning, match="pid 100"):
        clear_stale_stack(path, grace=0, proc=proc.root, kill=proc.kill)
    assert path.exists() and proc.signals == []


def test_a_crashed_stack_is_stopped_and_strangers_are_left_alone(tmp_path: Path, proc: FakeProc) -> None:
    proc.add(100, ticks=9999)  # the supervisor's pid, recycled by a stranger started later
    proc.add(201, ticks=50, env={STACK_ID_VARIABLE: OURS})  # our orphaned Rasa
    proc.add(202, ticks=51, env={STACK_ID_VARIABLE: OURS})  # ...and a grandchild of it
    proc.add(300, ticks=52, env={STACK_ID_VARIABLE: OTHER})
    path = _state(tmp_path, supervisor_pid=100, ticks=42)
    assert clear_stale_stack(path, grace=0, proc=proc.root, kill=proc.kill) == 2
    assert sorted(proc.signals) == [(201, signal.SIGTERM), (202, signal.SIGTERM)]
    assert not path.exists()
    assert (proc.root / "100").exists() and (proc.root / "300").exists()


def test_a_damaged_state_file_is_dropped_without_killing_anything(tmp_path: Path, proc: FakeProc) -> None:
    path = tmp_path / "stack.json"
    path.write_text("{not json")
    assert clear_stale_stack(path, grace=0, proc=proc.root, kill=proc.kill) == 0
    assert not path.exists() and proc.signals == []


def test_crash_loops_are_reported_only_for_a_live_supervisor(tmp_path: Path, proc: FakeProc) -> None:
    now = 5000.0
    path = tmp_path / "stack.json"
    looping = ChildRecord(pid=7, port=1, state="restarting", restarts=6, restart_times=[now - n for n in range(6)])
    steady = ChildRecord(pid=8, port=2, state="running", restarts=1, restart_times=[now - 10])
    write_state(path, StackRecord(OURS, 100, 42, {"rasa": looping, "gateway": steady}))
    proc.add(100, ticks=42)
    reports = child_reports(path, now=now, proc=proc.root)
    assert reports is not None
    assert {report.name: report.crash_looping for report in reports} == {"gateway": False, "rasa": True}
    proc.kill(100, 0)
    assert child_reports(path, now=now, proc=proc.root) is None
