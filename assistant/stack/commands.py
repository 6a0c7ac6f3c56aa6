"""The command line and environment of each process: action server, Rasa replicas, gateways."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from assistant.stack.config import StackConfig
from assistant.training import RASA_BIN, rasa_env

APP_PYTHON = Path(sys.executable)
Command = tuple[list[str], dict[str, str]]


def app_env(config: StackConfig, *, port: int) -> dict[str, str]:
    """The gateway's and the action server's environment."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=config.database_url,
        RASA_URL=config.rasa_url,
        # The gateway routes each conversation to one replica (assistant/dialogue/replicas.py).
        RASA_URLS=",".join(config.rasa_urls),
        ACTION_SERVER_URL=config.action_url,
        PORT=str(port),
        SANIC_HOST="127.0.0.1",
        PYTHONUNBUFFERED="1",
        **config.extra_env,
    )
    return env


def action_server(config: StackConfig) -> Command:
    command = [str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(config.action_port)]
    return command, app_env(config, port=config.gateway_port)


def rasa_server(config: StackConfig, replica: int, *, endpoints_dir: Path) -> Command:
    """One Rasa replica, as assistant/rasa_server.py says (tracker and lock stores, start-up hook)."""
    try:
        from assistant.rasa_server import rasa_server_command
    except ImportError:  # an older tree without it: Rasa with the plain endpoints.yml
        return _plain_rasa_server(config, replica)
    # Each stack writes its endpoints files in its own directory: a test stack and `make run`
    # must not overwrite each other's (they name different databases).
    return rasa_server_command(
        port=config.rasa_ports[replica],
        model=config.model,
        action_url=config.action_url,
        database_url=config.database_url,
        redis_url=config.effective_redis_url or None,
        replica=replica,
        directory=endpoints_dir,
    )


def _plain_rasa_server(config: StackConfig, replica: int) -> Command:
    env = rasa_env()
    env.update(ACTION_ENDPOINT_URL=f"{config.action_url}/webhook")
    command = [
        str(RASA_BIN),
        "run",
        "--enable-api",
        "-i",
        "127.0.0.1",
        "--port",
        str(config.rasa_ports[replica]),
        "--model",
        str(config.model),
        "--endpoints",
        "endpoints.yml",
        "--credentials",
        "credentials.yml",
    ]
    return command, env


def gateway(config: StackConfig, index: int, *, log_config: Path) -> Command:
    port = config.gateway_ports[index]
    # --no-proxy-headers: uvicorn would otherwise trust X-Forwarded-For from 127.0.0.1
    # (or its own reading of FORWARDED_ALLOW_IPS); the app applies the trusted proxies.
    # --log-config: JSON lines from uvicorn's first line on (assistant/logs.py); its own
    # access log stays off, the app writes one without query strings (request_context.py).
    command = [
        str(APP_PYTHON),
        "-m",
        "uvicorn",
        "assistant.api.main:app_from_env",
        "--factory",
        "--host",
        config.host,
        "--port",
        str(port),
        "--no-access-log",
        "--no-proxy-headers",
        "--log-config",
        str(log_config),
    ]
    return command, app_env(config, port=port)


def all_commands(config: StackConfig, *, log_config: Path, endpoints_dir: Path) -> dict[str, Command]:
    commands = {"actions": action_server(config)}
    for replica, name in enumerate(config.rasa_names):
        commands[name] = rasa_server(config, replica, endpoints_dir=endpoints_dir)
    for index, name in enumerate(config.gateway_names):
        commands[name] = gateway(config, index, log_config=log_config)
    return commands
