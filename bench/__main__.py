"""Prints per-message latency and memory figures for the front desk.

Runs against a throwaway database and the real stack on free ports (the model is
reused from models/ when up to date), so it measures what a client would feel: every
figure is taken at the client, at 1 and at 8 concurrent clients (README's "Benchmark"
reads the table).  Nothing here asserts a timing; it only prints.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from assistant.demo import load_demo_data
from assistant.screen.crisis import assess
from assistant.screen.redaction import redact
from assistant.services.appointments import find_open_slots
from assistant.stack import Stack, StackConfig, free_port
from assistant.store.engine import session_scope
from assistant.store.migrate import upgrade
from assistant.store.models import Clinician, utcnow
from assistant.training import ensure_model
from bench import texting, voice
from bench.clients import BenchClient, create_bench_clients
from bench.database import POSTGRES_SERVER_VARIABLE, describe, throwaway_database
from bench.load import Run, Worker, run_concurrently
from bench.memory import rss_mb
from bench.report import Row, print_table

AUTH_TOKEN = "bench-auth-token"
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
CONCURRENCY = (1, 8)
CHAT_TEXTS = ("hi", "when is my next session", "whats my zoom link", "thanks")
VOICE_SCRIPT = ("when is my next session", "whats my zoom link", "thanks")  # the date of birth keyed after the first
# Per worker, by concurrency: about 40 samples alone, 160 at 8 at once.
CHAT_ROUNDS = {1: 10, 8: 5}
CALLS_EACH = {1: 8, 8: 4}
TEXTS_EACH = {1: 100, 8: 25}


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


def _run(label: str, concurrency: int, worker: Worker) -> Run:
    print(f"  measuring {label} x{concurrency}", file=sys.stderr, flush=True)
    return run_concurrently(concurrency, worker)


def _rows(run: Run, metric: str, note: str = "") -> Row:
    return Row(metric, run.recorded.samples[metric], run.concurrency, run.wall_seconds, note)


def _voice_note(run: Run) -> str:
    counts = run.recorded.counts
    note = f"{counts[voice.FILLERS]}/{counts[voice.TURNS]} turns needed a filler"
    for key, wording in ((voice.HANDED_OFF, "handed to a person"), (voice.ENDED_EARLY, "calls ended early")):
        if counts[key]:
            note += f", {counts[key]} {wording}"
    return note


def through_the_stack(config: StackConfig, clients: list[BenchClient]) -> list[Row]:
    gateway, rasa = config.gateway_url, config.rasa_url
    # One untimed pass through every path first: the first of each loads code and caches.
    [warm] = texting.open_chats(gateway, clients[:1])
    run_concurrently(1, texting.rasa_sender(rasa, [warm], CHAT_TEXTS[:1]))
    run_concurrently(1, texting.chatter(gateway, [warm], CHAT_TEXTS[:1]))
    run_concurrently(1, voice.caller(gateway, AUTH_TOKEN, clients, VOICE_SCRIPT, 1))
    run_concurrently(1, texting.texter(gateway, AUTH_TOKEN, CHAT_TEXTS[:1]))

    rasa_runs, chat_runs, voice_runs, sms_runs = [], [], [], []
    for n in CONCURRENCY:
        senders = texting.open_chats(gateway, clients[:n])  # fresh conversations: Rasa's senders
        rasa_runs.append(_run("Rasa straight", n, texting.rasa_sender(rasa, senders, CHAT_TEXTS * CHAT_ROUNDS[n])))
    for n in CONCURRENCY:
        chats = texting.open_chats(gateway, clients[:n])
        chat_runs.append(_run("web chat", n, texting.chatter(gateway, chats, CHAT_TEXTS * CHAT_ROUNDS[n])))
    for n in CONCURRENCY:
        voice_runs.append(_run("voice", n, voice.caller(gateway, AUTH_TOKEN, clients, VOICE_SCRIPT, CALLS_EACH[n])))
    # Texts last: each one's reply is worked out in the background after the acknowledgement,
    # and that work would otherwise run under the other measurements.
    for n in CONCURRENCY:
        sms_runs.append(_run("SMS", n, texting.texter(gateway, AUTH_TOKEN, CHAT_TEXTS[:1] * TEXTS_EACH[n])))

    return [
        *(_rows(run, texting.RASA, "same texts, no gateway") for run in rasa_runs),
        *(_rows(run, texting.CHAT, "gateway + Rasa + actions") for run in chat_runs),
        *(_rows(run, voice.ANSWERED, "greeting TwiML") for run in voice_runs),
        *(_rows(run, voice.FIRST, "filler if the bot is slow") for run in voice_runs),
        *(_rows(run, voice.FULL, _voice_note(run)) for run in voice_runs),
        *(_rows(run, texting.SMS, "persist + empty TwiML") for run in sms_runs),
    ]


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
        clients = create_bench_clients(database_url, max(CONCURRENCY))
        in_process(database_url)
        measure_stack(workdir, database_url, clients)


def measure_stack(workdir: Path, database_url: str, clients: list[BenchClient]) -> None:
    port = free_port()
    config = StackConfig(
        model=ensure_model(),
        database_url=database_url,
        gateway_port=port,
        rasa_port=free_port(),
        action_port=free_port(),
        log_dir=workdir / "logs",
        # No TWILIO_ACCOUNT_SID: demo mode, nothing is sent (voice callbacks carry the placeholder account).
        extra_env={
            "ASSISTANT_ENV": "test",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_ACCOUNT_SID": "",  # even if the shell has a real one
        },
    )
    stack = Stack(config)
    started = time.perf_counter()
    stack.start()
    print(f"\nStack ready in {time.perf_counter() - started:.1f} s")
    try:
        rows = through_the_stack(config, clients)
        print_table("Through the stack, timed at the client (conc: clients at once)", rows)
        print("\nResident memory")
        for name, process in stack.processes.items():
            print(f"{name:<50} {rss_mb(process.pid):8.1f} MB")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
