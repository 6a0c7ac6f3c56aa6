"""What the supervisor knows about each child, and how an exit is described in its log."""

from __future__ import annotations

import signal
import subprocess
from dataclasses import dataclass, field
from typing import Any


def describe_exit(returncode: int) -> dict[str, Any]:
    if returncode < 0:
        return {"exit_code": None, "signal": signal.Signals(-returncode).name}
    return {"exit_code": returncode, "signal": None}


@dataclass
class Child:
    """One supervised process: the current one, and its history of exits and restarts."""

    name: str
    port: int
    process: subprocess.Popen[bytes] | None = None
    exit_watch: int | None = None  # pidfd: readable once the process exits
    generation: int = 0  # how many times it was started
    started_at: float = 0.0  # monotonic
    attempt: int = 0
    restarts: int = 0
    restart_times: list[float] = field(default_factory=list)  # wall clock
    next_start_at: float | None = None  # monotonic; set while waiting to restart
    last_exit: str | None = None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None
