"""Which processes are really ours, read from /proc (Linux).

A stack is named by a random id that the supervisor puts in every child's environment
(`ASSISTANT_STACK_ID`); children and grandchildren inherit it, and a stranger cannot carry
it by chance.  The supervisor itself is recognised by its pid *and* its start time, so a
recycled pid is never taken for it.  Every function takes the /proc root as a parameter,
so the ownership rules are tested against a fake /proc.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
STACK_ID_VARIABLE = "ASSISTANT_STACK_ID"


def start_ticks(pid: int, proc: Path = PROC) -> int | None:
    """When the process started (clock ticks since boot, field 22 of /proc/<pid>/stat); None if gone."""
    try:
        stat = (proc / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may itself contain spaces or ')'.
    fields = stat.rsplit(")", 1)[-1].split()
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def process_group(pid: int, proc: Path = PROC) -> int | None:
    try:
        fields = (proc / str(pid) / "stat").read_text().rsplit(")", 1)[-1].split()
        return int(fields[2])
    except (OSError, IndexError, ValueError):
        return None


def parent_pid(pid: int, proc: Path = PROC) -> int | None:
    try:
        fields = (proc / str(pid) / "stat").read_text().rsplit(")", 1)[-1].split()
        return int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def is_same_process(pid: int, ticks: int | None, proc: Path = PROC) -> bool:
    """Whether `pid` is still the process that started at `ticks` (not a recycled pid)."""
    return ticks is not None and start_ticks(pid, proc) == ticks


def is_running(pid: int, proc: Path = PROC) -> bool:
    """Exists and has not exited (a zombie has: it only waits for its parent to collect it)."""
    try:
        return (proc / str(pid) / "stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def carries_stack_id(pid: int, stack_id: str, proc: Path = PROC) -> bool:
    """Whether the process was started with ASSISTANT_STACK_ID=<stack_id>.  An environment we
    may not read belongs to another user: not ours (and not ours to kill)."""
    if not stack_id:
        return False
    try:
        environ = (proc / str(pid) / "environ").read_bytes()
    except OSError:
        return False
    return f"{STACK_ID_VARIABLE}={stack_id}".encode() in environ.split(b"\0")


def pids(proc: Path = PROC) -> list[int]:
    return sorted(int(entry.name) for entry in proc.iterdir() if entry.name.isdigit())


def processes_of_stack(stack_id: str, proc: Path = PROC, *, exclude: int | None = None) -> list[int]:
    """Every live process started for this stack (children, grandchildren, orphans)."""
    own = os.getpid() if exclude is None else exclude
    return [pid for pid in pids(proc) if pid != own and carries_stack_id(pid, stack_id, proc)]


def children_of(pid: int, proc: Path = PROC) -> list[int]:
    return [candidate for candidate in pids(proc) if parent_pid(candidate, proc) == pid]
