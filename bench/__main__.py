"""Prints per-message latency and memory figures for the front desk.

Runs against a throwaway database and the real stack on free ports (the model is
reused from models/ when up to date), so it measures what a client would feel: every
figure is taken at the client, at 1, 8 and 16 concurrent clients, side by side, on one
gateway and one Rasa and, given PostgreSQL and Redis, on 2 gateways x 2 Rasa replicas
(README's "Benchmark" reads the table).  Nothing here asserts a timing; it only prints.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from assistant.demo import load_demo_data
from assistant.screen.crisis import assess
from assistant.screen.redaction import redact
from assistant.services.appointments import find_open_slots
from assistant.store.engine import session_scope
from assistant.store.migrate import upgrade
from assistant.store.models import Clinician, utcnow
from assistant.training import ensure_model
from bench import insights, summary
from bench.clients import BenchClient, create_bench_clients
from bench.database import POSTGRES_SERVER_VARIABLE, describe, throwaway_database
from bench.report import Row, print_table
from bench.stack_runs import LEVELS, StackFigures, measure, measure_replicas, stack_config

SAMPLE_MESSAGES = [
    "hey can i move my appt to friday afternoon",
    "whats my zoom link",
    "i cant log into the portal",
    "this portal is killing me lol",
    "my card is 4242 4242 4242 4242",
    "cancel",
    "2",
    "yes",
    "i dont want to be alive anymore",
    "can i talk to a person",
    "do you take aetna?",
]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def in_process(database_url: str) -> None:
    with session_scope(database_url) as session:
        clinician_id = session.scalars(select(Clinician.id)).first()
        assert clinician_id is not None
        assess("warm up the spaCy pipeline")
        rows = [
            Row(
                f"message screen (redaction + crisis), {len(SAMPLE_MESSAGES)} msgs",
                timed(lambda: [assess(redact(text).text) for text in SAMPLE_MESSAGES], 200),
            ),
            Row(
                "open-slot search (28 days, 40 candidates)",
                timed(lambda: find_open_slots(session, clinician_id, utcnow(), limit=40), 100),
            ),
        ]
    print_table("In process", rows)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="front-desk-bench-"))
    with throwaway_database(workdir) as database_url:
        hint = (
            ""
            if POSTGRES_SERVER_VARIABLE in os.environ
            else f"; {POSTGRES_SERVER_VARIABLE}=<server URL> for PostgreSQL"
        )
        print(f"Store: {describe(database_url)} (a throwaway database{hint})")
        upgrade(database_url)
        with session_scope(database_url) as session:
            load_demo_data(session)
        clients = create_bench_clients(database_url, max(LEVELS))
        in_process(database_url)
        insights.main()  # its own year of history, on SQLite (and PostgreSQL when given)
        measure_stack(workdir, database_url, clients)


def measure_stack(workdir: Path, database_url: str, clients: list[BenchClient]) -> None:
    """One gateway and one Rasa on the bench's store, then 2 x 2 on PostgreSQL + Redis (or why not)."""
    model = ensure_model()
    single = StackFigures("1x1", describe(database_url))
    measure(stack_config(workdir / "single", model, database_url), clients, single, with_voice=True)
    replicas = measure_replicas(workdir, model, os.environ)
    summary.print_all(single, replicas)


if __name__ == "__main__":
    main()
