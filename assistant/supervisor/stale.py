"""Finding and stopping a stack that a crashed supervisor left behind.

Only processes that carry the dead stack's id in their environment are touched (see
procfs.py), each re-identified by its start time right before a signal, so a pid that was
recycled by a stranger in the meantime is never killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from assistant.supervisor.procfs import PROC, is_running, is_same_process, processes_of_stack, start_ticks
from assistant.supervisor.state import read_state, supervisor_alive


class StackAlreadyRunning(RuntimeError):
    def __init__(self, pid: int) -> None:
        super().__init__(
            f"Another `assistant run` is running (pid {pid}) and supervising this stack. "
            f"Stop it first (Ctrl-C in its terminal, or `kill {pid}`)."
        )
        self.pid = pid


Kill = Callable[[int, int], None]


def _signal(pid: int, ticks: int | None, signum: int, proc: Path, kill: Kill) -> None:
    if not is_same_process(pid, ticks, proc):
        return  # gone, or a stranger now has this pid
    with contextlib.suppress(ProcessLookupError, PermissionError):
        kill(pid, signum)


def stop_processes(
    found: dict[int, int | None], *, grace: float = 10.0, proc: Path = PROC, kill: Kill = os.kill
) -> None:
    """SIGTERM each (pid: start ticks), then SIGKILL whatever still runs after `grace` seconds."""
    for pid, ticks in found.items():
        _signal(pid, ticks, signal.SIGTERM, proc, kill)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(
        is_same_process(pid, ticks, proc) and is_running(pid, proc) for pid, ticks in found.items()
    ):
        time.sleep(0.1)  # waiting on processes that are not our children: nothing to wait() on
    for pid, ticks in found.items():
        _signal(pid, ticks, signal.SIGKILL, proc, kill)


def clear_stale_stack(path: Path, *, grace: float = 10.0, proc: Path = PROC, kill: Kill = os.kill) -> int:
    """Stop what a dead supervisor's state file names; return how many processes were stopped.
    Raises StackAlreadyRunning if the supervisor that wrote it is alive."""
    record = read_state(path)
    if record is None:
        path.unlink(missing_ok=True)  # missing or damaged: nothing we can trust in it
        return 0
    if record.supervisor_pid != os.getpid() and supervisor_alive(record, proc):
        raise StackAlreadyRunning(record.supervisor_pid)
    leftovers = {pid: start_ticks(pid, proc) for pid in processes_of_stack(record.stack_id, proc)}
    stop_processes(leftovers, grace=grace, proc=proc, kill=kill)
    path.unlink(missing_ok=True)
    return len(leftovers)
