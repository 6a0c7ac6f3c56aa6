"""A fresh, migrated database for every store test: SQLite always, PostgreSQL when given.

PostgreSQL runs against the server in TEST_POSTGRES_URL (e.g.
postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres): each test
gets its own `test_<random>` database, dropped afterwards, so the dev
database is never touched.  Without TEST_POSTGRES_URL those cases are
skipped, unless REQUIRE_POSTGRES=1 (CI), where that is an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from assistant.store.engine import get_engine
from assistant.store.models import (
    AvailabilityModality,
    AvailabilityWindow,
    Client,
    Clinician,
    Practice,
)
from tests.support.clinic import Clinic
from tests.support.databases import (
    build_postgres_template,
    copy_sqlite,
    create_postgres_database,
    database_url,
    drop_postgres_database,
    postgres_server_url,
)

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """URL of a brand-new, empty PostgreSQL database, dropped after the test."""
    server_url = postgres_server_url()
    name = create_postgres_database(server_url)
    try:
        yield database_url(server_url, name)
    finally:
        drop_postgres_database(server_url, name)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database, built once per session, that tests clone."""
    server_url = postgres_server_url()
    name = build_postgres_template(server_url)
    try:
        yield name
    finally:
        drop_postgres_database(server_url, name)


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database that has not been migrated yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_database")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database at the migrations' head (migrations are the only source of tables),
    copied from a template migrated once per session."""
    if request.param == "sqlite":
        yield copy_sqlite(request.getfixturevalue("migrated_template"), tmp_path / "store.db")
        return
    server_url = postgres_server_url()
    name = create_postgres_database(server_url, template=request.getfixturevalue("postgres_template"))
    try:
        yield database_url(server_url, name)
    finally:
        drop_postgres_database(server_url, name)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The application's own engine for this database, so tests see production settings."""
    engine = get_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


CLINIC_TIMEZONE = "America/New_York"
CLINIC_OFFICE = "Room 4"
CLINIC_CLIENTS = 8


@pytest.fixture
def clinic(session: Session) -> Clinic:
    """Weekdays 09:00-17:00 (either modality) plus Tuesday 17:00-19:00 by video only."""
    practice = Practice(
        slug="test",
        name="Test Practice",
        timezone=CLINIC_TIMEZONE,
        business_hours={},
        cancellation_window_hours=24,
        late_cancel_fee_cents=7500,
        response_window_minutes=60,
        session_minutes=50,
        sms_clinical_details_allowed=False,
    )
    clinician = Clinician(practice=practice, display_name="Dr. Test", office=CLINIC_OFFICE, active=True)
    clinician.availability = [
        *(
            AvailabilityWindow(
                weekday=day, start_time=dt.time(9), end_time=dt.time(17), modality=AvailabilityModality.EITHER
            )
            for day in range(5)
        ),
        AvailabilityWindow(
            weekday=1, start_time=dt.time(17), end_time=dt.time(19), modality=AvailabilityModality.TELEHEALTH
        ),
    ]
    session.add_all([practice, clinician])
    session.flush()
    clients = [
        Client(
            practice_id=practice.id,
            first_name=f"Client{number}",
            last_name="Test",
            mobile_e164=f"+1555555{number:04d}",
            date_of_birth=dt.date(1990, 1, 1),
            primary_clinician_id=clinician.id,
            sms_consent=True,
        )
        for number in range(CLINIC_CLIENTS)
    ]
    session.add_all(clients)
    session.commit()
    return Clinic(practice.id, clinician.id, tuple(client.id for client in clients), CLINIC_OFFICE)
