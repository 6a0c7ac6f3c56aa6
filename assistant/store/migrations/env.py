"""Alembic environment: which database to migrate, and the models to compare against.

The URL comes, in order, from `config.attributes["url"]` (programmatic callers,
see assistant.store.migrate), from `alembic -x url=...`, or from settings.
"""

from __future__ import annotations

from collections.abc import Callable
from logging.config import fileConfig
from typing import TypedDict

from alembic import context
from sqlalchemy import MetaData, create_engine, pool

from assistant.store.models import Base
from assistant.store.tracker_events import not_a_rasa_table

config = context.config

# Programmatic callers (tests, the app) keep their own logging set-up;
# fileConfig would otherwise silence every logger that already exists.
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name)

target_metadata = Base.metadata


def _database_url() -> str:
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return str(url)
    from assistant.config import get_settings

    return get_settings().database_url


class _ConfigureOptions(TypedDict):
    """The options both modes pass to `context.configure`."""

    target_metadata: MetaData
    compare_type: bool
    render_as_batch: bool
    include_name: Callable[[str | None, str, object], bool]


def _configure_options(url: str) -> _ConfigureOptions:
    # SQLite cannot ALTER most things in place; batch mode rebuilds tables instead.
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        "render_as_batch": url.startswith("sqlite"),
        # Rasa's tracker store shares the database: autogenerate must not offer to drop its tables.
        "include_name": not_a_rasa_table,
    }


def run_migrations_offline() -> None:
    url = _database_url()
    context.configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"}, **_configure_options(url))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _database_url()
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **_configure_options(url))
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
