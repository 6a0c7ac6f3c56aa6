"""One stack (1 gateway x 1 Rasa, or 2 x 2) started on free ports and measured at 1, 8 and
16 concurrent clients: Rasa straight, web chat turns, full SMS turns, SMS acknowledgements
(and phone calls on the single stack), then the resident memory of each process.

Every figure is taken at the client.  Each path runs at every level before the next path;
SMS acknowledgements run last and each level waits for its backlog of replies to drain
(untimed), so no level is measured under the previous one's leftover work.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from assistant.demo import load_demo_data
from assistant.stack import Stack, StackConfig, free_port
from assistant.store.engine import session_scope
from assistant.store.migrate import upgrade
from bench import sms_turns, texting, topology, voice
from bench.clients import BenchClient, create_bench_clients
from bench.database import throwaway_database
from bench.load import Run, Worker, run_concurrently
from bench.memory import TreeMemory, tree_memory
from bench.report import Row
from bench.side_by_side import Measured

AUTH_TOKEN = "bench-auth-token"
LEVELS = (1, 8, 16)
CHAT_TEXTS = ("hi", "when is my next session", "whats my zoom link", "thanks")
VOICE_SCRIPT = ("when is my next session", "whats my zoom link", "thanks")  # the date of birth keyed after the first
# Per worker, by level, sized so that a whole `make bench` stays near 10 minutes on 2 cores:
# turns: 24 alone, 96 at 8 at once, 128 at 16 (the 4 texts in turn); SMS acknowledgements:
# 20, 48 and 64 texts posted back to back; phone calls: 2 alone, then one per caller.
TURNS_EACH = {1: 24, 8: 12, 16: 8}
ACK_TEXTS_EACH = {1: 20, 8: 6, 16: 4}
CALLS_EACH = {1: 2, 8: 1, 16: 1}
# The bench's texts come from 16 numbers far faster than a person texts: above the per-number limit.
SMS_RATE_LIMIT = "100000"


@dataclass
class StackFigures:
    name: str  # "1x1" or "2x2"
    store: str  # "SQLite" or "PostgreSQL"
    paths: dict[str, Measured] = field(default_factory=dict)  # by metric
    voice_rows: list[Row] = field(default_factory=list)
    memory: list[tuple[str, TreeMemory]] = field(default_factory=list)

    def path(self, metric: str) -> Measured:
        return self.paths.setdefault(metric, Measured(f"{self.name} {metric}"))


def prepare_store(database_url: str, clients: int) -> list[BenchClient]:
    """Migrated, with the demo practice and the bench's own clients."""
    upgrade(database_url)
    with session_scope(database_url) as session:
        load_demo_data(session)
    return create_bench_clients(database_url, clients)


def ping_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def ping_redis(url: str) -> None:
    import redis  # in the app's lock (rate limits); imported here as only this check needs it

    redis.Redis.from_url(url, socket_connect_timeout=3).ping()


def stack_config(
    workdir: Path, model: Path, database_url: str, *, replicas: int = 1, redis_url: str | None = None
) -> StackConfig:
    gateway_ports = [free_port() for _ in range(replicas)]
    env = {
        "ASSISTANT_ENV": "test",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{gateway_ports[0]}",  # what Twilio would sign
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": "",  # demo mode even if the shell has a real one: nothing is sent
        "SMS_RATE_LIMIT_PER_MINUTE": SMS_RATE_LIMIT,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return StackConfig(
        model=model,
        database_url=database_url,
        gateways=replicas,
        rasa_replicas=replicas,
        gateway_ports=gateway_ports,
        rasa_ports=[free_port() for _ in range(replicas)],
        action_port=free_port(),
        log_dir=workdir / "logs",  # and so its own state file: workdir/run/stack.json
        redis_url=redis_url,
        extra_env=env,
    )


def _run(label: str, concurrency: int, worker: Worker) -> Run:
    print(f"  measuring {label} x{concurrency}", file=sys.stderr, flush=True)
    return run_concurrently(concurrency, worker)


def _voice_note(run: Run) -> str:
    counts = run.recorded.counts
    note = f"{counts[voice.FILLERS]}/{counts[voice.TURNS]} turns needed a filler"
    for key, wording in ((voice.HANDED_OFF, "handed to a person"), (voice.ENDED_EARLY, "calls ended early")):
        if counts[key]:
            note += f", {counts[key]} {wording}"
    return note


class StackBench:
    def __init__(self, config: StackConfig, clients: list[BenchClient], figures: StackFigures) -> None:
        self.config, self.clients, self.figures = config, clients, figures
        self.gateways, self.rasa = config.gateway_urls, config.rasa_urls
        self.public_url = config.extra_env["PUBLIC_BASE_URL"]
        self.numbers = [client.mobile for client in clients]

    def warm_up(self, watcher: sms_turns.OutboxWatcher, with_voice: bool) -> None:
        """One untimed pass through every path: the first of each loads code and fills caches."""
        chats = texting.open_chats(self.gateways[0], self.clients[: len(self.gateways)])
        run_concurrently(len(chats), texting.rasa_sender(self.rasa, chats, CHAT_TEXTS[:1]))
        run_concurrently(len(chats), texting.chatter(self.gateways, chats, CHAT_TEXTS[:1]))
        turns = sms_turns.turns(self.gateways, self.public_url, AUTH_TOKEN, self.numbers, CHAT_TEXTS[:1], watcher)
        run_concurrently(len(self.gateways), turns)
        if with_voice:
            run_concurrently(1, voice.caller(self.gateways[0], AUTH_TOKEN, self.clients, VOICE_SCRIPT, 1))

    def text_paths(self, watcher: sms_turns.OutboxWatcher) -> None:
        name = self.figures.name
        for n in LEVELS:
            senders = texting.open_chats(self.gateways[0], self.clients[:n])  # fresh conversations for Rasa
            texts = (CHAT_TEXTS * TURNS_EACH[n])[: TURNS_EACH[n]]
            run = _run(f"{name} Rasa straight", n, texting.rasa_sender(self.rasa, senders, texts))
            self.figures.path(texting.RASA).record(run, texting.RASA)
        for n in LEVELS:
            chats = texting.open_chats(self.gateways[0], self.clients[:n])
            texts = (CHAT_TEXTS * TURNS_EACH[n])[: TURNS_EACH[n]]
            run = _run(f"{name} web chat", n, texting.chatter(self.gateways, chats, texts))
            self.figures.path(texting.CHAT).record(run, texting.CHAT)
        for n in LEVELS:
            texts = (CHAT_TEXTS * TURNS_EACH[n])[: TURNS_EACH[n]]
            worker = sms_turns.turns(self.gateways, self.public_url, AUTH_TOKEN, self.numbers, texts, watcher)
            run = _run(f"{name} SMS full turn", n, worker)
            self.figures.path(sms_turns.SMS_TURN).record(run, sms_turns.SMS_TURN)

    def acknowledgements(self, watcher: sms_turns.OutboxWatcher) -> None:
        for n in LEVELS:
            texts = CHAT_TEXTS[:1] * ACK_TEXTS_EACH[n]
            worker = sms_turns.acknowledgements(self.gateways, self.public_url, AUTH_TOKEN, texts, watcher)
            run = _run(f"{self.figures.name} SMS acknowledgement", n, worker)
            self.figures.path(f"{sms_turns.SMS_ACK} alone").record(run, sms_turns.SMS_ACK)
            started = time.perf_counter()
            watcher.wait_all()
            print(f"    its replies drained {time.perf_counter() - started:.1f} s later", file=sys.stderr)

    def calls(self) -> None:
        runs = [
            _run("voice", n, voice.caller(self.gateways[0], AUTH_TOKEN, self.clients, VOICE_SCRIPT, CALLS_EACH[n]))
            for n in LEVELS
        ]

        def rows(metric: str, note: str | None = None) -> list[Row]:
            return [
                Row(metric, run.recorded.samples[metric], run.concurrency, run.wall_seconds, note or _voice_note(run))
                for run in runs
            ]

        self.figures.voice_rows = [
            *rows(voice.ANSWERED, "greeting TwiML"),
            *rows(voice.FIRST, "filler if the bot is slow"),
            *rows(voice.FULL),
        ]


def measure(config: StackConfig, clients: list[BenchClient], figures: StackFigures, *, with_voice: bool) -> None:
    """Start the stack, measure every path at every level, read memory, stop."""
    stack = Stack(config)
    started = time.perf_counter()
    stack.start()
    print(f"\n{figures.name} stack ({figures.store}) ready in {time.perf_counter() - started:.1f} s", flush=True)
    bench = StackBench(config, clients, figures)
    try:
        with sms_turns.OutboxWatcher(config.database_url) as watcher:
            bench.warm_up(watcher, with_voice)
            bench.text_paths(watcher)
            if with_voice:
                bench.calls()
            bench.acknowledgements(watcher)  # last: their replies are worked out afterwards
        figures.memory = [(name, tree_memory(process.pid)) for name, process in stack.processes.items()]
    finally:
        stack.stop()


def measure_replicas(workdir: Path, model: Path, environ: Mapping[str, str]) -> StackFigures | str:
    """The 2-gateway x 2-Rasa topology on a throwaway PostgreSQL database and Redis, or why not."""
    servers = topology.replica_servers(environ)
    if isinstance(servers, str):
        return servers
    reason = topology.unreachable(servers, ping_postgres, ping_redis)
    if reason:
        return reason
    figures = StackFigures("2x2", "PostgreSQL")
    with throwaway_database(workdir, servers.postgres_server_url) as database_url:
        clients = prepare_store(database_url, max(LEVELS))
        config = stack_config(
            workdir / "replicas", model, database_url, replicas=topology.GATEWAYS, redis_url=servers.redis_url
        )
        measure(config, clients, figures, with_voice=False)
    return figures
