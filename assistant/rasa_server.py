"""How one Rasa replica is started: its command line, its environment and its endpoints file.

Rasa keeps dialogue state in its tracker store. In memory, every restart forgets every
half-finished reschedule, so each replica gets Rasa's `SQLTrackerStore` beside the store:
in the store's own PostgreSQL database (Rasa creates its own `events` table there; the store's
tables never use that name), or on SQLite in a sibling file of the store's (its own schema and
write lock: store/tracker_events.dialogue_database_url says why), and, when REDIS_URL is set,
Rasa's `RedisLockStore` so replicas share conversation locks.

The endpoints file is generated per replica (in the directory the stack gives, var/rasa/ by
default) from endpoints.yml (the action endpoint) plus the two stores derived from
DATABASE_URL / REDIS_URL. Passwords are not
written to disk: the file names environment variables, which Rasa substitutes when it
reads the file, and the values travel in the process environment only.

Rasa runs through `rasa_boot` (a start-up hook living in the Rasa environment only), which
patches out avoidable per-call work before handing over to Rasa's own command line.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import URL, make_url

from assistant.config import PROJECT_ROOT
from assistant.store.tracker_events import dialogue_database_url
from assistant.training import RASA_PYTHON, rasa_env

ENDPOINTS_TEMPLATE = PROJECT_ROOT / "endpoints.yml"
GENERATED_DIR = PROJECT_ROOT / "var" / "rasa"
TRACKER_PASSWORD_VARIABLE = "RASA_TRACKER_STORE_PASSWORD"
LOCK_PASSWORD_VARIABLE = "RASA_LOCK_STORE_PASSWORD"
LOCK_KEY_PREFIX = "frontdesk"  # Rasa accepts only alphanumeric prefixes (else it silently uses "lock:")
SQLITE_BUSY_SECONDS = 15  # the store's own busy timeout (assistant/store/engine.py)


class RasaServerConfigError(ValueError):
    """DATABASE_URL or REDIS_URL cannot be expressed as a Rasa store."""


def tracker_store_endpoint(database_url: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Rasa `SQLTrackerStore` settings (and secret env) for the store's database URL."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise RasaServerConfigError("An in-memory SQLite database cannot be shared with Rasa; use a file.")
        path = Path(make_url(dialogue_database_url(database_url)).database or "")
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        _prepare_sqlite_file(path)
        # Rasa's pysqlite connections wait up to SQLITE_BUSY_SECONDS for the write lock (the
        # gateway's retention job deletes old events from the same file) instead of sqlite3's
        # 5 s default, so neither side fails with "database is locked".
        query = {"timeout": str(SQLITE_BUSY_SECONDS)}
        return {"type": "SQL", "dialect": "sqlite", "db": str(path), "query": query}, {}
    if backend == "postgresql":
        return _postgresql_tracker_store(url)
    raise RasaServerConfigError(f"Rasa's tracker store supports SQLite and PostgreSQL here, not {backend!r}.")


def _prepare_sqlite_file(path: Path) -> None:
    # WAL (a property of the file, kept once set) lets Rasa read trackers while the retention
    # job deletes; Rasa itself would create the file in rollback-journal mode.
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=SQLITE_BUSY_SECONDS)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


def _postgresql_tracker_store(url: URL) -> tuple[dict[str, Any], dict[str, str]]:
    # Rasa 3.6 uses SQLAlchemy 1.4 with psycopg2 (requirements/rasa.lock): plain "postgresql"
    # selects that driver whatever driver the gateway's URL names (psycopg 3 in .venv).
    endpoint: dict[str, Any] = {"type": "SQL", "dialect": "postgresql", "db": url.database or "postgres"}
    if url.host:
        endpoint["url"] = url.host
    if url.port:
        endpoint["port"] = url.port
    if url.username:
        endpoint["username"] = url.username
    env: dict[str, str] = {}
    if url.password:
        endpoint["password"] = f"${{{TRACKER_PASSWORD_VARIABLE}}}"
        env[TRACKER_PASSWORD_VARIABLE] = str(url.password)
    if url.query:
        # e.g. sslmode=require for a managed server; Rasa passes them on to SQLAlchemy's URL.
        endpoint["query"] = {key: value if isinstance(value, str) else value[-1] for key, value in url.query.items()}
    return endpoint, env


def lock_store_endpoint(redis_url: str | None) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """Rasa `RedisLockStore` settings for REDIS_URL; None (Rasa's in-memory lock store) without one."""
    if not redis_url:
        return None, {}
    url = make_url(redis_url)  # redis://[:password@]host[:port][/db], parsed like a database URL
    if url.drivername not in ("redis", "rediss"):
        raise RasaServerConfigError(f"REDIS_URL must start with redis:// or rediss://, not {url.drivername}://.")
    endpoint: dict[str, Any] = {
        "type": "redis",
        "url": url.host or "localhost",
        "port": url.port or 6379,
        "db": int(url.database or 0),
        "key_prefix": LOCK_KEY_PREFIX,
    }
    if url.drivername == "rediss":
        endpoint["use_ssl"] = True
    env: dict[str, str] = {}
    if url.password:
        endpoint["password"] = f"${{{LOCK_PASSWORD_VARIABLE}}}"
        env[LOCK_PASSWORD_VARIABLE] = str(url.password)
    return endpoint, env


def write_endpoints(
    *, database_url: str, redis_url: str | None, replica: int = 0, directory: Path = GENERATED_DIR
) -> tuple[Path, dict[str, str]]:
    """Write one replica's endpoints file; returns its path and the secret env it refers to."""
    endpoints: dict[str, Any] = yaml.safe_load(ENDPOINTS_TEMPLATE.read_text()) or {}
    tracker, env = tracker_store_endpoint(database_url)
    endpoints["tracker_store"] = tracker
    lock, lock_env = lock_store_endpoint(redis_url)
    if lock is not None:
        endpoints["lock_store"] = lock
        env.update(lock_env)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"endpoints-{replica}.yml"
    # Plain (unquoted) scalars: Rasa only expands ${VARIABLE} in plain YAML scalars.
    header = "# Generated by assistant/rasa_server.py from endpoints.yml; do not edit.\n"
    path.write_text(header + yaml.safe_dump(endpoints, sort_keys=False, default_style=None))
    return path, env


def rasa_server_command(
    *,
    port: int,
    model: Path,
    action_url: str,
    database_url: str,
    redis_url: str | None,
    replica: int = 0,
    host: str = "127.0.0.1",
    directory: Path = GENERATED_DIR,
) -> tuple[list[str], dict[str, str]]:
    """argv and environment for one Rasa replica (run with cwd=PROJECT_ROOT).

    `directory` receives the replica's endpoints file: each stack (a test's, `make run`'s)
    passes its own, since their files name different databases.
    """
    endpoints, secrets = write_endpoints(
        database_url=database_url, redis_url=redis_url, replica=replica, directory=directory
    )
    env = rasa_env()
    env.update(secrets)
    env.update(ACTION_ENDPOINT_URL=f"{action_url}/webhook", SANIC_WORKERS="1")
    command = [
        str(RASA_PYTHON),
        "-m",
        "rasa_boot",
        "run",
        "--enable-api",
        "-i",
        host,
        "--port",
        str(port),
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        "credentials.yml",
    ]
    return command, env
