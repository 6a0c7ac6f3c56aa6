"""assistant/rasa_server.py: the command line, environment and endpoints file of one Rasa replica."""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.rasa_server import rasa_server_command
from assistant.training import RASA_PYTHON

POSTGRES = "postgresql+psycopg://front:pg-secret@db.internal:5432/desk"


def test_a_replica_runs_rasa_through_the_start_up_hook_with_its_own_endpoints(tmp_path: Path) -> None:
    command, env = rasa_server_command(
        port=5011,
        model=Path("/models/m.tar.gz"),
        action_url="http://127.0.0.1:5055",
        database_url=POSTGRES,
        redis_url="redis://:redis-secret@127.0.0.1:6379/1",
        replica=1,
        directory=tmp_path,
    )
    assert command[:5] == [str(RASA_PYTHON), "-m", "rasa_boot", "run", "--enable-api"]
    assert command[command.index("--port") + 1] == "5011"
    assert command[command.index("--model") + 1] == "/models/m.tar.gz"
    endpoints = Path(command[command.index("--endpoints") + 1])
    assert endpoints == tmp_path / "endpoints-1.yml"
    assert env["SANIC_WORKERS"] == "1"
    assert env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"
    # Passwords travel in the environment only; the file names the variables.
    written = endpoints.read_text()
    assert "pg-secret" not in written and "redis-secret" not in written
    assert env["RASA_TRACKER_STORE_PASSWORD"] == "pg-secret" and env["RASA_LOCK_STORE_PASSWORD"] == "redis-secret"
    loaded = yaml.safe_load(written)
    assert loaded["action_endpoint"] == {"url": "${ACTION_ENDPOINT_URL}"}  # from endpoints.yml
    assert loaded["tracker_store"]["type"] == "SQL" and loaded["lock_store"]["type"] == "redis"


def test_replicas_get_separate_files_and_sqlite_paths_are_absolute(tmp_path: Path) -> None:
    files = []
    for replica in (0, 1):
        command, _env = rasa_server_command(
            port=5005 + replica,
            model=Path("m.tar.gz"),
            action_url="http://127.0.0.1:5055",
            database_url="sqlite:///var/assistant.db",
            redis_url=None,
            replica=replica,
            directory=tmp_path,
        )
        files.append(Path(command[command.index("--endpoints") + 1]))
    assert files[0] != files[1]
    loaded = yaml.safe_load(files[0].read_text())
    assert "lock_store" not in loaded  # Rasa's in-memory lock store without REDIS_URL
    assert Path(loaded["tracker_store"]["db"]).is_absolute()
    assert loaded["tracker_store"]["query"] == {"timeout": "15"}
