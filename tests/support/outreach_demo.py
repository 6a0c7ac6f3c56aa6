"""The demo practice at a fixed moment, for outreach tests that drive the CLI and services
the way a new user would (a fresh database per test: the shared demo clients stay untouched)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.demo import load_demo_data
from assistant.store.models import Appointment, AppointmentStatus, Client

# Wednesday 25 November 2026, 10:17 in New York: Jordan's video session is Friday at 3 PM,
# Chris's unmarked session was Tuesday at 10 AM, Morgan was last seen 45 days ago.
DEMO_NOW = dt.datetime(2026, 11, 25, 15, 17, tzinfo=dt.UTC)


def load_demo(session: Session, now: dt.datetime = DEMO_NOW) -> None:
    load_demo_data(session, now)
    session.commit()  # SQLite: the CLI's own sessions need the write lock


def cli_settings(database_url: str) -> Settings:
    return Settings(assistant_env="test", database_url=database_url)


def client_named(session: Session, first_name: str) -> Client:
    return session.scalars(select(Client).where(Client.first_name == first_name)).one()


def booked_sessions(session: Session, client: Client) -> list[Appointment]:
    return list(
        session.scalars(
            select(Appointment)
            .where(Appointment.client_id == client.id, Appointment.status == AppointmentStatus.BOOKED)
            .order_by(Appointment.starts_at)
        )
    )
