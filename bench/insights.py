"""`make bench`'s insights figure: the whole `GET /api/rep/insights` response (every panel,
admin), timed in process through the app, on a year of history for a 20-clinician practice
(bench/insights_history.py), on SQLite and, with BENCH_POSTGRES_URL set, on PostgreSQL.
The issue's budget is 300 ms; nothing here asserts it, it only prints."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.services import reps as rep_accounts
from assistant.services.insights.rollup_job import roll_up
from assistant.stack import free_port
from assistant.store.engine import get_engine, session_scope
from assistant.store.migrate import upgrade
from assistant.store.models import Appointment, Message, RepRole, utcnow
from bench.database import POSTGRES_SERVER_VARIABLE, describe, throwaway_database
from bench.insights_history import build_year
from bench.report import Row, print_table

ADMIN = ("owner@bench-insights.example", "bench-insights-owner-password")
PERIODS = (7, 30, 90, 365)  # the page's presets, and a whole year in one view
REPEAT = 10


def _settings(database_url: str) -> Settings:
    nowhere = f"http://127.0.0.1:{free_port()}"
    return Settings(assistant_env="test", database_url=database_url, rasa_url=nowhere, action_server_url=nowhere)


def _prepare(database_url: str) -> str:
    upgrade(database_url)
    now = utcnow()
    with session_scope(database_url) as session:
        practice = build_year(session, now)
        rep_accounts.create_rep(
            session,
            practice_id=practice.id,
            email=ADMIN[0],
            display_name="Owner",
            password=ADMIN[1],
            role=RepRole.ADMIN,
        )
    with session_scope(database_url) as session:
        # A store that has been in use has planner statistics (PostgreSQL's autovacuum; SQLite
        # keeps what ANALYZE wrote): a bulk load has none until this, and plans without them
        # are not what a practice would see (PostgreSQL took a minute for a year's containment).
        session.execute(text("ANALYZE"))
    with session_scope(database_url) as session:
        messages = session.scalar(select(func.count()).select_from(Message))
        appointments = session.scalar(select(func.count()).select_from(Appointment))
    return f"{messages} messages, {appointments} appointments"


def measure(database_url: str) -> list[Row]:
    started = time.perf_counter()
    volume = _prepare(database_url)
    print(
        f"  {describe(database_url)}: history built in {time.perf_counter() - started:.1f} s ({volume})",
        file=sys.stderr,
    )
    rows = []
    with TestClient(create_app(_settings(database_url)), base_url="http://localhost") as http:
        response = http.post("/api/rep/login", json={"email": ADMIN[0], "password": ADMIN[1]})
        response.raise_for_status()
        # First as on the hour after an upgrade, before the gateway's first roll-up pass has
        # run; then as every hour after it (the gateway's start-up pass, run here explicitly:
        # the bench's app is a test app, which starts no background jobs).
        rows += _periods(http, database_url, "before the first roll-up")
        started = time.perf_counter()
        days = roll_up(database_url)
        print(f"  roll-up of {days} days: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        rows += _periods(http, database_url, "rolled up")
    get_engine(database_url).dispose()
    return rows


def _periods(http: TestClient, database_url: str, state: str) -> list[Row]:
    rows = []
    today = utcnow().date()
    for days in PERIODS:
        query = {"from": (today - dt.timedelta(days=days - 1)).isoformat(), "to": today.isoformat()}
        http.get("/api/rep/insights", params=query).raise_for_status()  # warm: first query plans, caches
        samples, cpu = [], []
        for _ in range(REPEAT):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            http.get("/api/rep/insights", params=query).raise_for_status()
            samples.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
        name = f"insights API, {describe(database_url)}, last {days} days, {state}"
        rows.append(Row(name, samples, None, None, ""))
        # This process's CPU (the app and, on SQLite, the database): the figure on a busy machine.
        rows.append(Row(f"{name}, CPU", cpu, None, None, "gateway process CPU time"))
    return rows


def main() -> None:
    """Both stores: SQLite in a temporary directory, and PostgreSQL when the bench has a server."""
    workdir = Path(tempfile.mkdtemp(prefix="front-desk-bench-insights-"))
    rows = measure(f"sqlite:///{workdir / 'insights.db'}")
    if POSTGRES_SERVER_VARIABLE in os.environ:
        with throwaway_database(workdir) as database_url:
            rows += measure(database_url)
    print_table("Insights (a year, 20 clinicians; budget 300 ms)", rows)


if __name__ == "__main__":
    main()
