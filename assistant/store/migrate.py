"""Bring a database to the newest schema, and tell whether it is there already.

Migrations are the only source of tables.  Paths are resolved from this package,
so `upgrade()` works from any working directory (tests, the CLI, the server).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from assistant.config import get_settings

_STORE_DIR = Path(__file__).resolve().parent
_PROJECT_ROOT = _STORE_DIR.parent.parent
ALEMBIC_INI = _PROJECT_ROOT / "alembic.ini"
SCRIPT_LOCATION = _STORE_DIR / "migrations"


def _resolve_url(url: str | None) -> str:
    return url or get_settings().database_url


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for `url` that leaves the caller's logging alone."""
    config = Config(str(ALEMBIC_INI)) if ALEMBIC_INI.exists() else Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["url"] = _resolve_url(url)
    config.attributes["configure_logging"] = False
    return config


def _sqlite_file(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


def _ensure_sqlite_directory(url: str) -> None:
    if (path := _sqlite_file(url)) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def upgrade(url: str | None = None) -> None:
    """`alembic upgrade head` against `url` (default: the configured database)."""
    resolved = _resolve_url(url)
    _ensure_sqlite_directory(resolved)
    command.upgrade(alembic_config(resolved), "head")


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    resolved = _resolve_url(url)
    sqlite_file = _sqlite_file(resolved)
    # Asking must not create an empty SQLite file as a side effect.
    if sqlite_file is not None and not sqlite_file.exists():
        return None
    engine = create_engine(resolved, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def is_up_to_date(url: str | None = None) -> bool:
    return current_revision(url) == head_revision()
