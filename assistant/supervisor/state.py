"""The supervisor's state file (var/run/stack.json): who runs, under which pids, how often
each child restarted.  The next start reads it to find a stack left by a crash; the gateway's
`/healthz` and `assistant doctor` read it to report crash loops.

Written whole and atomically (a temporary file renamed over the old one), so a reader never
sees half a file; read tolerantly, so a missing or damaged file means "nothing known".
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.supervisor.policy import RestartPolicy
from assistant.supervisor.procfs import PROC, is_same_process

# Set in each child's environment by the supervisor: where its state file is.
STATE_FILE_VARIABLE = "ASSISTANT_SUPERVISOR_STATE"
VERSION = 1


@dataclass
class ChildRecord:
    pid: int | None
    port: int
    state: str  # "starting", "running", "restarting", "stopped"
    restarts: int = 0
    restart_times: list[float] = field(default_factory=list)  # wall clock (time.time())
    last_exit: str | None = None  # "exit code 1", "signal SIGKILL"


@dataclass
class StackRecord:
    stack_id: str
    supervisor_pid: int
    supervisor_ticks: int | None
    children: dict[str, ChildRecord] = field(default_factory=dict)
    updated_at: float = field(default_factory=time.time)


def write_state(path: Path, record: StackRecord) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    record.updated_at = time.time()
    payload = {"version": VERSION, **asdict(record)}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(payload, indent=2))
    os.replace(temporary, path)


def read_state(path: Path) -> StackRecord | None:
    try:
        payload: dict[str, Any] = json.loads(path.read_text())
        children = {name: ChildRecord(**child) for name, child in payload["children"].items()}
        return StackRecord(
            stack_id=str(payload["stack_id"]),
            supervisor_pid=int(payload["supervisor_pid"]),
            supervisor_ticks=payload["supervisor_ticks"],
            children=children,
            updated_at=float(payload["updated_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def supervisor_alive(record: StackRecord, proc: Path = PROC) -> bool:
    """Whether the supervisor that wrote `record` still runs (same pid and start time)."""
    return is_same_process(record.supervisor_pid, record.supervisor_ticks, proc)


@dataclass(frozen=True)
class ChildReport:
    name: str
    state: str
    restarts: int
    crash_looping: bool
    last_exit: str | None


def child_reports(
    path: Path, *, policy: RestartPolicy | None = None, now: float | None = None, proc: Path = PROC
) -> list[ChildReport] | None:
    """Each child of the running supervisor; None when no live supervisor wrote `path`."""
    record = read_state(path)
    if record is None or not supervisor_alive(record, proc):
        return None
    judge, moment = policy or RestartPolicy(), time.time() if now is None else now
    return [
        ChildReport(
            name=name,
            state=child.state,
            restarts=child.restarts,
            crash_looping=judge.is_crash_looping(child.restart_times, moment),
            last_exit=child.last_exit,
        )
        for name, child in sorted(record.children.items())
    ]


def crash_looping_children(path: Path | None = None) -> list[str]:
    """Names of the children now restarting in a loop, for `/healthz`.  The path is the state
    file the supervisor gave this process (ASSISTANT_SUPERVISOR_STATE); unsupervised: none."""
    if path is None:
        configured = os.environ.get(STATE_FILE_VARIABLE)
        if not configured:
            return []
        path = Path(configured)
    return [report.name for report in child_reports(path) or [] if report.crash_looping]
