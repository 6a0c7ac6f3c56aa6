"""Resident memory of a process and everything under it (children, grandchildren, ...).

The stack runs each server inside a lifeline wrapper (assistant/supervisor/lifeline.py), so
the server itself is a grandchild of the supervisor, and the action server's Sanic workers
are one level further down: counting direct children only misses the servers.  Read from
/proc (Linux) in one pass over its process list; psutil is not in the app's lock, and this
is a dozen lines.  A process tree's total counts shared pages once per process (RSS), so it
overstates what the tree costs the machine: PSS, where /proc offers it, splits shared pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class TreeMemory:
    processes: int  # the process itself and its descendants still running
    rss_mb: float
    pss_mb: float | None  # None where /proc has no smaps_rollup (or it is not readable)


def parent_map(proc: Path = PROC) -> dict[int, int]:
    """Each live pid's parent pid."""
    parents = {}
    for stat in proc.glob("[0-9]*/stat"):
        try:
            # The command name (field 2) is in parentheses and may contain spaces or ')'.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue  # exited while we read
    return parents


def descendants(pid: int, parents: dict[int, int]) -> list[int]:
    """Every process below `pid`, at any depth (breadth first)."""
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    found, frontier = [], [pid]
    while frontier:
        below = [child for parent in frontier for child in sorted(children.get(parent, []))]
        found.extend(below)
        frontier = below
    return found


def _kib(path: Path, key: str) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return None


def tree_memory(pid: int, proc: Path = PROC) -> TreeMemory:
    tree = [pid, *descendants(pid, parent_map(proc))]
    rss = [_kib(proc / str(process) / "status", "VmRSS:") for process in tree]
    pss = [_kib(proc / str(process) / "smaps_rollup", "Pss:") for process in tree]
    alive = [(resident, proportional) for resident, proportional in zip(rss, pss, strict=True) if resident is not None]
    pss_known = all(proportional is not None for _, proportional in alive)
    return TreeMemory(
        processes=len(alive),
        rss_mb=sum(resident for resident, _ in alive) / 1024,
        pss_mb=sum(proportional or 0 for _, proportional in alive) / 1024 if pss_known else None,
    )


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MB."""
    return tree_memory(pid).rss_mb
