"""The wrapper every child runs in: `python -m assistant.supervisor.lifeline FD -- command...`.

Why a wrapper: the servers spawn processes of their own (the action server's Sanic workers,
multiprocessing helpers), and a parent-death signal set on the server reaches the server
only.  The wrapper leads a process group that holds the server and everything it spawns, and
watches FD, the read end of a pipe whose only write end the supervisor holds.  When the
supervisor dies by any means, SIGKILL included, the kernel closes that end: the wrapper reads
EOF and stops the whole group (SIGTERM, then SIGKILL after a grace period).  The server also
gets PR_SET_PDEATHSIG=SIGKILL, so killing the wrapper alone cannot leave it behind.

When the server exits on its own the wrapper kills what it left in the group (a Sanic worker
still holding the port) and exits the same way (same code, or the same signal), so the
supervisor logs the server's real exit.  Standard library only: this starts before each server.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import subprocess
import sys
import time

from assistant.supervisor.procfs import is_running, pids, process_group

GRACE_SECONDS = 10.0
PR_SET_PDEATHSIG = 1


def _die_with_the_wrapper() -> None:  # runs in the forked child, before exec (the wrapper has one thread)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _others_in_group() -> list[int]:
    group, own = os.getpgrp(), os.getpid()
    return [pid for pid in pids() if pid != own and process_group(pid) == group and is_running(pid)]


def _kill_others(signum: int) -> None:
    for pid in _others_in_group():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _stop_group(server: subprocess.Popen[bytes]) -> int:
    """SIGTERM to the server and its group, SIGKILL to whatever is left after the grace period."""
    _kill_others(signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and _others_in_group():
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=0.1)
    _kill_others(signal.SIGKILL)
    return server.wait()


def _exit_like(returncode: int) -> None:
    if returncode < 0:  # killed by a signal: die of the same one, so the supervisor sees it
        if -returncode not in (signal.SIGKILL, signal.SIGSTOP):  # those two have no handler to reset
            signal.signal(-returncode, signal.SIG_DFL)
        os.kill(os.getpid(), -returncode)
    sys.exit(returncode)


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[1] != "--":
        sys.exit("usage: python -m assistant.supervisor.lifeline FD -- command [args...]")
    lifeline, command = int(argv[0]), argv[2:]
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    stop_requested = False

    def request_stop(_signum: int, _frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, request_stop)
    server = subprocess.Popen(command, preexec_fn=_die_with_the_wrapper)  # noqa: PLW1509 - single-threaded here
    exited = os.pidfd_open(server.pid) if hasattr(os, "pidfd_open") else None
    watched = [lifeline, wake_read] + ([exited] if exited is not None else [])
    while True:
        readable, _, _ = select.select(watched, [], [], 0.5 if exited is None else None)
        if stop_requested or lifeline in readable:  # asked to stop, or the supervisor is gone (EOF)
            _stop_group(server)
            sys.exit(0)
        if wake_read in readable:
            os.read(wake_read, 512)
        if server.poll() is not None:
            _kill_others(signal.SIGKILL)  # what the server left behind must not keep its port
            _exit_like(server.returncode)


if __name__ == "__main__":
    main(sys.argv[1:])
