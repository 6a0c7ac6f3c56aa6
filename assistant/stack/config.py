"""What to start: ports, replicas and where logs and the state file go."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import PROJECT_ROOT
from assistant.supervisor.policy import RestartPolicy
from assistant.supervisor.supervisor import StackError


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


def member_names(kind: str, count: int) -> list[str]:
    """`gateway` alone, or `gateway-1`, `gateway-2`, ... (1-based, like /healthz's replicas)."""
    return [kind] if count == 1 else [f"{kind}-{number}" for number in range(1, count + 1)]


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
    gateways: int = 1
    rasa_replicas: int = 1
    # Explicit ports per gateway / Rasa replica; default: gateway_port, gateway_port + 1, ...
    gateway_ports: list[int] = field(default_factory=list)
    rasa_ports: list[int] = field(default_factory=list)
    # Default: REDIS_URL from extra_env, else from the environment.
    redis_url: str | None = None
    # Default: <log_dir>/../run/stack.json (var/run/stack.json for `make run`).
    state_file: Path | None = None
    restart_policy: RestartPolicy = field(default_factory=RestartPolicy)

    def __post_init__(self) -> None:
        if self.gateways < 1 or self.rasa_replicas < 1:
            raise StackError("--gateways and --rasa-replicas must be at least 1.")
        self.gateway_ports = self.gateway_ports or [self.gateway_port + n for n in range(self.gateways)]
        self.rasa_ports = self.rasa_ports or [self.rasa_port + n for n in range(self.rasa_replicas)]
        if len(self.gateway_ports) != self.gateways or len(self.rasa_ports) != self.rasa_replicas:
            raise StackError("Give one port per gateway and per Rasa replica.")
        self.gateway_port, self.rasa_port = self.gateway_ports[0], self.rasa_ports[0]

    @property
    def state_path(self) -> Path:
        return self.state_file or self.log_dir.parent / "run" / "stack.json"

    @property
    def effective_redis_url(self) -> str:
        return self.redis_url or self.extra_env.get("REDIS_URL") or os.environ.get("REDIS_URL", "")

    @property
    def gateway_names(self) -> list[str]:
        return member_names("gateway", self.gateways)

    @property
    def rasa_names(self) -> list[str]:
        return member_names("rasa", self.rasa_replicas)

    @property
    def gateway_url(self) -> str:
        return f"http://{self.host}:{self.gateway_port}"

    @property
    def gateway_urls(self) -> list[str]:
        return [f"http://{self.host}:{port}" for port in self.gateway_ports]

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def ports(self) -> dict[str, int]:
        """Each process by name, with its port: actions, rasa(-n), gateway(-n)."""
        return {
            "actions": self.action_port,
            **dict(zip(self.rasa_names, self.rasa_ports, strict=True)),
            **dict(zip(self.gateway_names, self.gateway_ports, strict=True)),
        }

    def check_topology(self) -> None:
        """Several gateways or Rasa replicas share state through PostgreSQL and Redis only."""
        if self.gateways == 1 and self.rasa_replicas == 1:
            return
        if self.database_url.startswith("sqlite"):
            raise StackError(
                "Several gateways or Rasa replicas need PostgreSQL: SQLite is one file on one machine, "
                "and its single writer would serialise them. Set DATABASE_URL=postgresql+psycopg://... "
                "(or run with one gateway and one Rasa replica)."
            )
        if not self.effective_redis_url:
            raise StackError(
                "Several gateways or Rasa replicas need Redis for shared rate limits, sign-in throttling "
                "and Rasa's conversation locks: set REDIS_URL=redis://host:6379/0."
            )
