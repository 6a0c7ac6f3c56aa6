"""Resident memory of a process and its children, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def rss_mb(pid: int) -> float:
    total = 0
    for process in [pid, *_children(pid)]:
        status = Path(f"/proc/{process}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def _children(pid: int) -> list[int]:
    found = []
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = path.read_text().split(") ")[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(path.parent.name))
    return found
