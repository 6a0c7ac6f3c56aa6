"""Migrations are the only source of tables, and they match the models exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, pool
from sqlalchemy.exc import IntegrityError

from assistant.store import migrate
from assistant.store.models import Base


def _engine(url: str) -> Engine:
    return create_engine(url, poolclass=pool.NullPool)


def test_empty_database_is_not_up_to_date(empty_db_url: str) -> None:
    assert migrate.current_revision(empty_db_url) is None
    assert not migrate.is_up_to_date(empty_db_url)


def test_upgrade_creates_every_model_table(empty_db_url: str) -> None:
    migrate.upgrade(empty_db_url)
    engine = _engine(empty_db_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert tables - set(Base.metadata.tables) == {"alembic_version"}


def test_upgrade_records_head_and_is_repeatable(empty_db_url: str) -> None:
    migrate.upgrade(empty_db_url)
    migrate.upgrade(empty_db_url)  # already at head: a no-op, not an error
    assert migrate.current_revision(empty_db_url) == migrate.head_revision()
    assert migrate.is_up_to_date(empty_db_url)


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    engine = _engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_partial_unique_index_has_its_where_clause(db_url: str) -> None:
    engine = _engine(db_url)
    try:
        indexes = {index["name"]: index for index in inspect(engine).get_indexes("appointments")}
    finally:
        engine.dispose()
    slot_index = indexes["uq_appointment_clinician_slot_booked"]
    assert slot_index["unique"]
    assert slot_index["column_names"] == ["clinician_id", "starts_at"]
    where = slot_index.get("dialect_options", {})
    assert any("booked" in str(value) for value in where.values())


def test_enum_columns_are_checked_by_the_database(db_url: str) -> None:
    engine = _engine(db_url)
    try:
        with pytest.raises(IntegrityError) as refused, engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO practices (slug, name, timezone, business_hours, "
                "cancellation_window_hours, late_cancel_fee_cents, response_window_minutes, "
                "session_minutes, sms_clinical_details_allowed) "
                "VALUES ('p', 'P', 'UTC', '{}', 24, 0, 60, 50, false)"
            )
            connection.exec_driver_sql(
                "INSERT INTO conversations (id, practice_id, channel, state, "
                "verification_failures, created_at, last_activity_at) "
                "VALUES ('c1', 1, 'fax', 'bot', 0, :at, :at)".replace(":at", "'2026-01-01'")
            )
        checks = {check["name"] for check in inspect(engine).get_check_constraints("appointments")}
    finally:
        engine.dispose()
    assert "ck_conversations_channel" in str(refused.value)
    assert {"ck_appointment_order", "ck_appointments_status", "ck_appointments_modality"} <= checks


def test_current_revision_does_not_create_a_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'store.db'}"
    assert migrate.current_revision(url) is None
    assert not (tmp_path / "missing").exists()


def test_upgrade_works_from_any_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'nested' / 'store.db'}"
    migrate.upgrade(url)
    assert migrate.is_up_to_date(url)
