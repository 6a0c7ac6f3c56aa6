"""/readyz and /livez: what a load balancer asks of a gateway, independent of Rasa."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.routes import health
from assistant.store.migrate import upgrade


def test_readyz_is_ok_while_the_bot_is_down_and_livez_always(gateway: TestClient) -> None:
    # /healthz says 503 (no Rasa), but the gateway can still accept and keep messages.
    assert gateway.get("/healthz").status_code == 503
    ready = gateway.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "database": "ok"}
    assert gateway.get("/livez").json() == {"status": "ok"}


def test_readyz_fails_while_the_store_is_not_ready(gateway: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # The store unreachable or not yet migrated (the migration Job has not run): no traffic.
    monkeypatch.setattr(health, "_database_ok", lambda _url: False)
    ready = gateway.get("/readyz")
    assert ready.status_code == 503 and ready.json() == {"status": "unavailable", "database": "unavailable"}
    assert gateway.get("/livez").status_code == 200


def test_readyz_reads_the_store_for_real(tmp_path: Path) -> None:
    # The check itself: an empty database is not ready, a migrated one is.
    empty = f"sqlite:///{tmp_path}/empty.db"
    assert health._database_ok(empty) is False
    upgrade(empty)
    assert health._database_ok(empty) is True
