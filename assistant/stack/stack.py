"""Starting, supervising and stopping the stack: the action server, Rasa (one or more
replicas) and the gateway (one or more).

Used by `assistant run` (and so `make run`), by the end-to-end tests and by the benchmark,
which start the same stack on free ports against a throwaway database.  Once started, a child
that exits or is killed comes back after a backoff (assistant/supervisor/); `kill` and
`wait_restarted` let tests crash one on purpose and wait for it to return.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx

from assistant.config import PROJECT_ROOT
from assistant.logs import uvicorn_log_config
from assistant.stack.commands import Command, all_commands
from assistant.stack.config import StackConfig, port_is_free
from assistant.supervisor.procfs import children_of
from assistant.supervisor.stale import StackAlreadyRunning, clear_stale_stack
from assistant.supervisor.supervisor import StackError, Supervisor
from assistant.training import RASA_BIN

READY_POLL_SECONDS = 0.25


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.supervisor = Supervisor(
            commands=self._command,
            ports=config.ports(),
            log_dir=config.log_dir,
            state_path=config.state_path,
            cwd=PROJECT_ROOT,
            policy=config.restart_policy,
        )
        self._killed_generation: dict[str, int] = {}

    @property
    def processes(self) -> dict[str, subprocess.Popen[bytes]]:
        """The running children by name (each is the lifeline wrapper around the server)."""
        return self.supervisor.processes()

    @property
    def gateway_log_config(self) -> Path:
        return self.config.log_dir / "gateway-logging.json"

    def _commands(self) -> dict[str, Command]:
        return all_commands(
            self.config, log_config=self.gateway_log_config, endpoints_dir=self.config.state_path.parent / "rasa"
        )

    def _command(self, name: str) -> Command:
        command = self._commands()[name]
        if name.startswith("gateway"):
            self._write_gateway_log_config(command[1])
        return command

    def _write_gateway_log_config(self, env: dict[str, str]) -> None:
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        config = uvicorn_log_config(env.get("LOG_LEVEL") or "INFO")
        self.gateway_log_config.write_text(json.dumps(config, indent=2))

    def check_ports(self) -> None:
        labels = {"actions": ("action server", "ACTION_PORT"), "rasa": ("Rasa server", "RASA_PORT")}
        for name, port in self.config.ports().items():
            label, variable = labels.get(name.split("-")[0], ("gateway", "PORT"))
            if not port_is_free(port, "127.0.0.1"):
                raise StackError(
                    f"Port {port} for the {label} is already in use (is another "
                    f"`make run` still running?). Stop it, or choose another port "
                    f"with {variable}=<port>."
                )

    def start(self, timeout: float = 240.0) -> None:
        if not RASA_BIN.exists():
            raise StackError("The Rasa environment is missing: run `make setup`.")
        self.config.check_topology()
        try:
            stopped = clear_stale_stack(self.config.state_path)
        except StackAlreadyRunning as running:
            raise StackError(str(running)) from running
        if stopped:
            print(f"stopped {stopped} process(es) left by a stack that crashed", flush=True)
        self.check_ports()
        for name in self.config.ports():
            self._spawn(name)
        self.wait_ready(timeout)
        self.supervisor.supervise()

    def _spawn(self, name: str) -> None:
        self.supervisor.spawn(name)

    # -- crashing on purpose and coming back (tests, benchmarks) ---------------------------------

    def kill(self, name: str) -> None:
        """SIGKILL one process and everything it spawned, as a crash would: no shutdown handlers
        run.  Under supervision it comes back after the backoff (`wait_restarted`)."""
        self._killed_generation[name] = self.supervisor.generation(name)
        self.supervisor.kill(name)

    def server_pid(self, name: str) -> int:
        """The server's own pid (inside its lifeline wrapper), e.g. to kill just the server."""
        wrapper = self.processes[name].pid
        found = children_of(wrapper)
        if not found:
            raise StackError(f"{name} has no server process under its wrapper (pid {wrapper})")
        return found[0]

    def wait_restarted(self, name: str, timeout: float = 120.0, *, after_generation: int | None = None) -> None:
        """Until a process started after the last `kill(name)` (or after `after_generation`)
        serves requests."""
        since = self._killed_generation.get(name, 0) if after_generation is None else after_generation
        self.supervisor.wait_for(lambda: self.supervisor.generation(name) > since, timeout, f"a restart of {name}")
        self._wait_serving([name], timeout)

    def restart(self, name: str, timeout: float = 120.0) -> None:
        """Start `name` now if it is down (no backoff), then wait until the stack is ready."""
        self.supervisor.start_now(name)
        self.wait_ready(timeout, fail_fast=False)

    # -- readiness ------------------------------------------------------------------------------

    def is_serving(self, name: str) -> bool:
        port = self.config.ports()[name]
        kind = name.split("-")[0]
        try:
            if kind == "gateway":
                host = self.config.host
                return httpx.get(f"http://{host}:{port}/healthz", timeout=2).status_code in (200, 503)
            if kind == "rasa":
                response = httpx.get(f"http://127.0.0.1:{port}/status", timeout=2)
                return response.status_code == 200 and bool(response.json().get("model_file"))
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
        except (httpx.HTTPError, ValueError):
            return False

    def _wait_serving(self, names: list[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not all(name in self.processes and self.is_serving(name) for name in names):
            if time.monotonic() > deadline:
                served = ", ".join(names)
                raise StackError(f"{served} did not serve within {timeout:.0f}s; logs in {self.config.log_dir}")
            time.sleep(READY_POLL_SECONDS)

    def _gateways_ready(self) -> bool:
        try:
            return all(httpx.get(f"{url}/healthz", timeout=2).status_code == 200 for url in self.config.gateway_urls)
        except httpx.HTTPError:
            return False

    def wait_ready(self, timeout: float, *, fail_fast: bool = True) -> None:
        """Until every gateway's /healthz says ready.  `fail_fast`: a child that exits meanwhile
        stops the stack with its log (at start; under supervision it would just come back)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if fail_fast:
                running = self.processes
                for name in self.config.ports():
                    if name not in running and self.supervisor.generation(name) > 0:
                        self.stop()
                        raise StackError(
                            f"The {name} process exited; see {self.config.log_dir / (name + '.log')}:\n"
                            f"{self.log_tail(name)}"
                        )
            if self._gateways_ready() and all(self.is_serving(name) for name in self.config.ports()):
                return
            time.sleep(READY_POLL_SECONDS)
        self.stop()
        raise StackError(f"The stack did not become ready within {timeout:.0f}s; logs in {self.config.log_dir}")

    def log_tail(self, name: str, lines: int = 20) -> str:
        path = self.config.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    # -- stopping -------------------------------------------------------------------------------

    def stop(self) -> None:
        self.supervisor.stop()

    @staticmethod
    def stop_on_signals() -> None:
        """SIGTERM and SIGHUP stop the stack as Ctrl-C does (a KeyboardInterrupt in the main
        thread), from before `start`: a stop asked for during start-up still stops every child."""

        def interrupt(_signum: int, _frame: object) -> None:
            raise KeyboardInterrupt

        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, interrupt)

    def wait(self) -> None:
        """Supervise until Ctrl-C, SIGTERM or SIGHUP (see `stop_on_signals`); then stop every
        child cleanly."""
        self.supervisor.supervise()
        forever = threading.Event()
        try:
            while not forever.wait(1.0):  # a timeout keeps the main thread responsive to signals
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
