"""Is the front desk ready to answer? Gateway, store, Rasa and the action server."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from assistant.api.deps import SettingsDep
from assistant.api.schemas.health import (
    AcceptingPublic,
    AlivePublic,
    HealthChecksPublic,
    HealthPublic,
    RasaReplicaPublic,
)
from assistant.store.engine import get_engine
from assistant.store.migrate import is_up_to_date
from assistant.supervisor.state import crash_looping_children

router = APIRouter(tags=["health"])


# Once a database is at the head revision it stays there for this process: reading the
# migration scripts from disk on every probe is work a health check need not repeat.
_migrated: set[str] = set()


def _database_ok(url: str) -> bool:
    try:
        with get_engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
        if url not in _migrated and is_up_to_date(url):
            _migrated.add(url)
        return url in _migrated
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False


def _action_server_ok(url: str) -> bool:
    try:
        response = httpx.get(f"{url}/health", timeout=2.0)
        return response.status_code == 200
    except httpx.HTTPError:
        return False


@router.get(
    "/healthz", response_model=HealthPublic, responses={503: {"model": HealthPublic, "description": "Not ready yet"}}
)
def healthz(request: Request, settings: SettingsDep) -> JSONResponse:
    replicas = [
        RasaReplicaPublic(replica=position, status="ok" if replica.ready else "unavailable")
        for position, replica in enumerate(request.app.state.bot.statuses(), start=1)
    ]
    checks = HealthChecksPublic(
        gateway="ok",
        database="ok" if _database_ok(settings.database_url) else "unavailable",
        rasa="ok" if any(replica.status == "ok" for replica in replicas) else "unavailable",
        action_server="ok" if _action_server_ok(settings.action_server_url) else "unavailable",
    )
    ready = all(value == "ok" for value in checks.model_dump().values())
    body = HealthPublic(
        status="ok" if ready else "starting",
        checks=checks,
        rasa_replicas=replicas,
        crash_looping=crash_looping_children(),
    )
    # A JSONResponse rather than the model: the status code depends on the answer.
    return JSONResponse(status_code=200 if ready else 503, content=body.model_dump())


@router.get(
    "/readyz",
    response_model=AcceptingPublic,
    responses={503: {"model": AcceptingPublic, "description": "The store is unreachable or not migrated"}},
)
def readyz(settings: SettingsDep) -> JSONResponse:
    """Readiness for a load balancer: ready while the store is, whatever Rasa is doing."""
    database_ok = _database_ok(settings.database_url)
    body = AcceptingPublic(
        status="ok" if database_ok else "unavailable", database="ok" if database_ok else "unavailable"
    )
    return JSONResponse(status_code=200 if database_ok else 503, content=body.model_dump())


@router.get("/livez", response_model=AlivePublic)
def livez() -> AlivePublic:
    return AlivePublic(status="ok")
