"""Starting and stopping the three processes: Rasa server, action server, gateway.

Used by `assistant run` (and so `make run`) and by the end-to-end tests, which
start the same stack on free ports against a throwaway database.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from assistant.config import PROJECT_ROOT
from assistant.logs import uvicorn_log_config
from assistant.training import RASA_BIN, rasa_env

APP_PYTHON = Path(sys.executable)


class StackError(RuntimeError):
    pass


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]  # (host, port) for an IPv4 socket
        return port


@dataclass
class StackConfig:
    model: Path
    database_url: str
    gateway_port: int = 8000
    rasa_port: int = 5005
    action_port: int = 5055
    host: str = "127.0.0.1"
    log_dir: Path = PROJECT_ROOT / "var" / "logs"
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://{self.host}:{self.gateway_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.config.database_url,
            RASA_URL=self.config.rasa_url,
            ACTION_SERVER_URL=self.config.action_url,
            PORT=str(self.config.gateway_port),
            SANIC_HOST="127.0.0.1",
            PYTHONUNBUFFERED="1",
            **self.config.extra_env,
        )
        return env

    def _commands(self) -> dict[str, tuple[list[str], dict[str, str]]]:
        cfg, env = self.config, self._env()
        rasa = rasa_env()
        rasa.update(ACTION_ENDPOINT_URL=f"{cfg.action_url}/webhook")
        return {
            "actions": (
                [str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(cfg.action_port)],
                env,
            ),
            "rasa": (
                [
                    str(RASA_BIN),
                    "run",
                    "--enable-api",
                    "-i",
                    "127.0.0.1",
                    "--port",
                    str(cfg.rasa_port),
                    "--model",
                    str(cfg.model),
                    "--endpoints",
                    "endpoints.yml",
                    "--credentials",
                    "credentials.yml",
                ],
                rasa,
            ),
            # --no-proxy-headers: uvicorn would otherwise trust X-Forwarded-For from 127.0.0.1
            # (or its own reading of FORWARDED_ALLOW_IPS); the app applies the trusted proxies.
            # --log-config: JSON lines from uvicorn's first line on (assistant/logs.py); its own
            # access log stays off, the app writes one without query strings (request_context.py).
            "gateway": (
                [
                    str(APP_PYTHON),
                    "-m",
                    "uvicorn",
                    "assistant.api.main:app_from_env",
                    "--factory",
                    "--host",
                    cfg.host,
                    "--port",
                    str(cfg.gateway_port),
                    "--no-access-log",
                    "--no-proxy-headers",
                    "--log-config",
                    str(self.gateway_log_config),
                ],
                env,
            ),
        }

    def check_ports(self) -> None:
        cfg = self.config
        for name, port, variable in (
            ("gateway", cfg.gateway_port, "PORT"),
            ("Rasa server", cfg.rasa_port, "RASA_PORT"),
            ("action server", cfg.action_port, "ACTION_PORT"),
        ):
            if not port_is_free(port, "127.0.0.1"):
                raise StackError(
                    f"Port {port} for the {name} is already in use (is another "
                    f"`make run` still running?). Stop it, or choose another port "
                    f"with {variable}=<port>."
                )

    def start(self, timeout: float = 240.0) -> None:
        if not RASA_BIN.exists():
            raise StackError("The Rasa environment is missing: run `make setup`.")
        self.check_ports()
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        for name in self._commands():
            self._spawn(name)
        self.wait_ready(timeout)

    @property
    def gateway_log_config(self) -> Path:
        return self.config.log_dir / "gateway-logging.json"

    def _write_gateway_log_config(self, env: dict[str, str]) -> None:
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        config = uvicorn_log_config(env.get("LOG_LEVEL") or "INFO")
        self.gateway_log_config.write_text(json.dumps(config, indent=2))

    def _spawn(self, name: str) -> None:
        command, env = self._commands()[name]
        if name == "gateway":
            self._write_gateway_log_config(env)
        with open(self.config.log_dir / f"{name}.log", "ab") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def kill(self, name: str) -> None:
        """SIGKILL one process, as a crash would: no shutdown handlers run."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def restart(self, name: str, timeout: float = 120.0) -> None:
        self._spawn(name)
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    self.stop()
                    raise StackError(
                        f"The {name} process exited (code {process.returncode}); "
                        f"see {self.config.log_dir / (name + '.log')}:\n{self.log_tail(name)}"
                    )
            try:
                if httpx.get(f"{self.config.gateway_url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        self.stop()
        raise StackError(f"The stack did not become ready within {timeout:.0f}s; logs in {self.config.log_dir}")

    def log_tail(self, name: str, lines: int = 20) -> str:
        path = self.config.log_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def wait(self) -> None:
        """Block until a process dies, Ctrl-C or SIGTERM; then stop everything."""

        def interrupt(_signum: int, _frame: object) -> None:
            raise KeyboardInterrupt

        # The children run in their own sessions, so a terminated supervisor must stop them.
        signal.signal(signal.SIGTERM, interrupt)
        signal.signal(signal.SIGHUP, interrupt)
        try:
            while all(process.poll() is None for process in self.processes.values()):
                time.sleep(1)
            dead = [name for name, process in self.processes.items() if process.poll() is not None]
            print(f"{', '.join(dead)} stopped unexpectedly; see {self.config.log_dir}", file=sys.stderr)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
