"""Running the children and bringing back whichever exits, with backoff.

A monitor thread waits on every child at once (a pidfd per child, so an exit is seen the
moment it happens) and restarts the exited one after `RestartPolicy.delay`; the others keep
running.  Every exit is one JSON log line (which child, exit code or signal, attempt, next
delay), in the process log and in `<log_dir>/supervisor.log`.  Children run inside the
lifeline wrapper (lifeline.py): they die with the supervisor, whatever kills it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.logs import get_logger
from assistant.supervisor.child import Child, describe_exit
from assistant.supervisor.policy import RestartPolicy
from assistant.supervisor.procfs import STACK_ID_VARIABLE, start_ticks
from assistant.supervisor.state import STATE_FILE_VARIABLE, ChildRecord, StackRecord, write_state

log = get_logger("supervisor")

Command = tuple[list[str], dict[str, str]]
STOP_GRACE_SECONDS = 15.0


class StackError(RuntimeError):
    pass


class Supervisor:
    def __init__(
        self,
        *,
        commands: Callable[[str], Command],
        ports: dict[str, int],
        log_dir: Path,
        state_path: Path,
        cwd: Path,
        policy: RestartPolicy | None = None,
    ) -> None:
        self._commands, self._log_dir, self.state_path, self._cwd = commands, log_dir, state_path, cwd
        self.policy = policy or RestartPolicy()
        self.stack_id = secrets.token_hex(12)
        self._children = {name: Child(name, port) for name, port in ports.items()}
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._monitor: threading.Thread | None = None
        self._lifeline: tuple[int, int] | None = None  # (read, write); only the write end stays here
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)

    # -- starting -----------------------------------------------------------------------------

    def processes(self) -> dict[str, subprocess.Popen[bytes]]:
        with self._lock:
            return {name: child.process for name, child in self._children.items() if child.process and child.alive()}

    def generation(self, name: str) -> int:
        with self._lock:
            return self._children[name].generation

    def spawn(self, name: str) -> subprocess.Popen[bytes]:
        with self._lock:
            child = self._children[name]
            command, env = self._commands(name)
            if self._lifeline is None:
                self._lifeline = os.pipe()  # non-inheritable: only pass_fds hands the read end on
            read_end = self._lifeline[0]
            env = {**env, STACK_ID_VARIABLE: self.stack_id, STATE_FILE_VARIABLE: str(self.state_path)}
            wrapper = [sys.executable, "-m", "assistant.supervisor.lifeline", str(read_end), "--", *command]
            self._log_dir.mkdir(parents=True, exist_ok=True)
            with open(self._log_dir / f"{name}.log", "ab") as output:
                process = subprocess.Popen(
                    wrapper,
                    cwd=self._cwd,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    pass_fds=(read_end,),
                    start_new_session=True,  # its own group: Ctrl-C reaches the supervisor only
                )
            if child.exit_watch is not None:
                os.close(child.exit_watch)
            child.exit_watch = os.pidfd_open(process.pid) if hasattr(os, "pidfd_open") else None
            child.process, child.started_at, child.next_start_at = process, time.monotonic(), None
            child.generation += 1
            self._journal("child_started", process=name, pid=process.pid, generation=child.generation)
            self._save()
            self._changed.notify_all()
            self._wake()
            return process

    def supervise(self) -> None:
        """Restart children from now on (a monitor thread), until `stop`."""
        self._stopping.clear()
        if self._monitor is None or not self._monitor.is_alive():
            self._monitor = threading.Thread(target=self._watch, name="supervisor", daemon=True)
            self._monitor.start()

    @property
    def supervising(self) -> bool:
        return self._monitor is not None and self._monitor.is_alive() and not self._stopping.is_set()

    # -- the monitor --------------------------------------------------------------------------

    def _watch(self) -> None:
        while not self._stopping.is_set():
            try:
                self._watch_once()
            except Exception:  # noqa: BLE001 - the monitor must outlive any one failure
                log.exception("supervisor_error")
                time.sleep(1)  # do not spin on a persistent failure

    def _watch_once(self) -> None:
        with self._lock:
            watches = [child.exit_watch for child in self._children.values() if child.alive() and child.exit_watch]
            due = [child.next_start_at for child in self._children.values() if child.next_start_at is not None]
            polling = any(child.alive() and child.exit_watch is None for child in self._children.values())
        timeout = max(0.0, min(due) - time.monotonic()) if due else None
        if polling:  # no pidfd on this system: look every half second
            timeout = 0.5 if timeout is None else min(timeout, 0.5)
        select.select([self._wake_read, *[watch for watch in watches if watch is not None]], [], [], timeout)
        with contextlib.suppress(BlockingIOError):
            os.set_blocking(self._wake_read, False)
            os.read(self._wake_read, 4096)
        with self._lock:
            if self._stopping.is_set():
                return
            for child in self._children.values():
                if child.process is not None and child.process.poll() is not None:
                    self._on_exit(child, child.process.returncode)
            now = time.monotonic()
            for child in self._children.values():
                if child.next_start_at is not None and child.next_start_at <= now:
                    self.spawn(child.name)

    def _on_exit(self, child: Child, returncode: int) -> None:
        assert child.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.process.pid, signal.SIGKILL)  # anything the wrapper could not sweep
        if child.exit_watch is not None:
            os.close(child.exit_watch)
        uptime = time.monotonic() - child.started_at
        child.process, child.exit_watch = None, None
        attempt = self.policy.next_attempt(child.attempt, uptime)
        delay = self.policy.delay(attempt)
        child.attempt = attempt + 1
        wall = time.time()
        was_looping = self.policy.is_crash_looping(child.restart_times, wall)
        child.restarts += 1
        child.restart_times = self.policy.recent([*child.restart_times, wall], wall)
        asked_now = child.next_start_at  # `start_now` may have come first: it wins over the backoff
        child.next_start_at = (
            time.monotonic() + delay if asked_now is None else min(asked_now, time.monotonic() + delay)
        )
        exit_fields = describe_exit(returncode)
        child.last_exit = f"signal {exit_fields['signal']}" if exit_fields["signal"] else f"exit code {returncode}"
        looping = self.policy.is_crash_looping(child.restart_times, wall)
        self._journal(
            "child_restarting",
            level="warning",
            process=child.name,
            **exit_fields,
            attempt=child.attempt,
            next_delay_s=delay,
            uptime_s=round(uptime, 1),
            crash_loop=looping,
        )
        if looping and not was_looping:
            self._journal(
                "child_crash_loop",
                level="error",
                process=child.name,
                restarts=len(child.restart_times),
                window_s=self.policy.crash_loop_window,
            )
        self._save()
        self._changed.notify_all()

    # -- control ------------------------------------------------------------------------------

    def kill(self, name: str, signum: int = signal.SIGKILL) -> None:
        """Signal a child's whole process group (SIGKILL: as a crash would) and wait for it to die."""
        with self._lock:
            process = self._children[name].process
        if process is None:
            raise StackError(f"{name} is not running")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        process.wait()
        self._wake()

    def start_now(self, name: str) -> None:
        """Skip the backoff: start an exited child at once (the monitor would, later)."""
        with self._lock:
            child = self._children[name]
            if child.alive():
                return
            if not self.supervising:
                self.spawn(name)
                return
            child.next_start_at = time.monotonic()
        self._wake()

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise StackError(f"{what} did not happen within {timeout:.0f}s; logs in {self._log_dir}")
                self._changed.wait(min(remaining, 0.5))  # also re-checks conditions that no event signals

    def stop(self) -> None:
        self._stopping.set()
        self._wake()
        if self._monitor is not None and self._monitor is not threading.current_thread():
            self._monitor.join(timeout=10)
        with self._lock:
            running = [child.process for child in self._children.values() if child.process is not None]
            for process in running:
                if process.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGTERM)
            for process in running:
                try:
                    process.wait(timeout=STOP_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)  # stragglers of the group
            for child in self._children.values():
                if child.exit_watch is not None:
                    os.close(child.exit_watch)
                child.process, child.exit_watch, child.next_start_at = None, None, None
            if self._lifeline is not None:
                for end in self._lifeline:
                    os.close(end)
                self._lifeline = None
            self.state_path.unlink(missing_ok=True)
            self._changed.notify_all()

    # -- bookkeeping --------------------------------------------------------------------------

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError):
            os.write(self._wake_write, b".")

    def _save(self) -> None:
        children = {
            child.name: ChildRecord(
                pid=child.process.pid if child.process else None,
                port=child.port,
                state="running" if child.alive() else "restarting" if child.next_start_at else "stopped",
                restarts=child.restarts,
                restart_times=child.restart_times,
                last_exit=child.last_exit,
            )
            for child in self._children.values()
        }
        record = StackRecord(self.stack_id, os.getpid(), start_ticks(os.getpid()), children)
        write_state(self.state_path, record)

    def _journal(self, event: str, level: str = "info", **fields: Any) -> None:
        getattr(log, level)(event, **fields)
        line = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), "level": level, "event": event, **fields}
        self._log_dir.mkdir(parents=True, exist_ok=True)
        with open(self._log_dir / "supervisor.log", "a") as journal:
            journal.write(json.dumps(line) + "\n")
