"""Whether `make bench` can measure the 2-gateway x 2-Rasa topology, and on which servers.

Several gateways and Rasa replicas share state through PostgreSQL and Redis only (see
assistant/stack/config.py), so the run needs a PostgreSQL server the bench may create a
database on (BENCH_POSTGRES_URL, else TEST_POSTGRES_URL) and REDIS_URL; without them it
prints why that part was skipped instead of failing the whole bench.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

POSTGRES_VARIABLES = ("BENCH_POSTGRES_URL", "TEST_POSTGRES_URL")
REDIS_VARIABLE = "REDIS_URL"
GATEWAYS = RASA_REPLICAS = 2


@dataclass(frozen=True)
class ReplicaServers:
    postgres_server_url: str  # a server URL: the bench creates (and drops) its own database there
    redis_url: str


def replica_servers(environ: Mapping[str, str]) -> ReplicaServers | str:
    """The servers to run the topology on, or why it cannot run (a sentence to print)."""
    postgres = next((environ[name] for name in POSTGRES_VARIABLES if environ.get(name)), "")
    redis = environ.get(REDIS_VARIABLE, "")
    missing = []
    if not postgres:
        missing.append(f"a PostgreSQL server URL ({' or '.join(POSTGRES_VARIABLES)})")
    elif not postgres.startswith("postgresql"):
        missing.append(f"a PostgreSQL URL in {' / '.join(POSTGRES_VARIABLES)} (the one set is not postgresql://...)")
    if not redis:
        missing.append(f"{REDIS_VARIABLE}=redis://host:6379/0")
    if missing:
        return f"skipped the {GATEWAYS}-gateway x {RASA_REPLICAS}-Rasa run: it needs " + " and ".join(missing)
    return ReplicaServers(postgres, redis)


def unreachable(
    servers: ReplicaServers, ping_postgres: Callable[[str], None], ping_redis: Callable[[str], None]
) -> str:
    """Empty when both servers answer; else why the topology run is skipped."""
    for what, ping, url in (
        ("PostgreSQL", ping_postgres, servers.postgres_server_url),
        ("Redis", ping_redis, servers.redis_url),
    ):
        try:
            ping(url)
        except Exception as error:  # any failure to connect means the same: skip, and say why
            skipped = f"skipped the {GATEWAYS}-gateway x {RASA_REPLICAS}-Rasa run"
            return f"{skipped}: {what} did not answer ({type(error).__name__})"
    return ""
