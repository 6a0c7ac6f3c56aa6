"""Response model of `GET /healthz`."""

from __future__ import annotations

from typing import Literal

from assistant.api.schemas.common import PublicModel

CheckResult = Literal["ok", "unavailable"]


class HealthChecksPublic(PublicModel):
    gateway: CheckResult
    database: CheckResult
    rasa: CheckResult
    action_server: CheckResult


class RasaReplicaPublic(PublicModel):
    """One Rasa server, by its position in RASA_URLS (1 = first; RASA_URL alone is 1): `rasa` is
    ok while any of them is.  Not its address: /healthz is public."""

    replica: int
    status: CheckResult


class HealthPublic(PublicModel):
    """200 with "ok" when every part is ready; 503 with "starting" until then."""

    status: Literal["ok", "starting"]
    checks: HealthChecksPublic
    rasa_replicas: list[RasaReplicaPublic] = []
    # Processes the supervisor (`assistant run`) is restarting in a loop, e.g. ["rasa"]: its
    # state file says so (assistant/supervisor/state.py).  Reported, not a failure of this probe.
    crash_looping: list[str] = []


class AcceptingPublic(PublicModel):
    """`GET /readyz`: can this gateway accept and keep client messages (its store is reachable and
    migrated)?  Independent of Rasa: a gateway keeps accepting while the bot restarts, so load
    balancers must not take it out of service for that (the bot's state is in /healthz)."""

    status: Literal["ok", "unavailable"]
    database: CheckResult


class AlivePublic(PublicModel):
    """`GET /livez`: the process serves HTTP (a liveness probe; nothing else is checked)."""

    status: Literal["ok"]
