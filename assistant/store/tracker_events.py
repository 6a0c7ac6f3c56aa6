"""Rasa's tracker-store table, as Rasa's `SQLTrackerStore` creates it, and where it lives.

Rasa (its own environment, SQLAlchemy 1.4) owns and creates this table; the store never
migrates it. It is described here, on its own MetaData (not the models' Base), so the
gateway can prune old dialogue events without importing rasa, and so Alembic can be told
to leave Rasa's tables alone (migrations/env.py). The store's own tables must never use
these names.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text
from sqlalchemy.engine import make_url

rasa_metadata = MetaData()

# Mirrors rasa.core.tracker_store.SQLTrackerStore.SQLEvent (Rasa 3.6).
tracker_events = Table(
    "events",
    rasa_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),  # Unix time in seconds, as Rasa stamps events
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

RASA_TABLES = frozenset(rasa_metadata.tables)


def not_a_rasa_table(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's `include_name` hook: compare the store's tables, never Rasa's."""
    return not (type_ == "table" and name in RASA_TABLES)


def dialogue_database_url(database_url: str) -> str:
    """The database holding Rasa's tracker store for the store's DATABASE_URL.

    PostgreSQL: the store's own database (Rasa's `events` table beside the store's). SQLite:
    a sibling file, `assistant.db` -> `assistant-dialogue.db`. In SQLite a database file is
    a schema (it could be ATTACHed), and it has one write lock per file: sharing the store's
    file made every Rasa tracker save queue behind the gateway's writes (about half of
    Rasa's wall time under 16 concurrent chats) and the gateway's behind Rasa's.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return database_url
    path = Path(url.database)
    dialogue = path.with_name(f"{path.stem}-dialogue{path.suffix or '.db'}")
    return url.set(database=str(dialogue)).render_as_string(hide_password=False)
