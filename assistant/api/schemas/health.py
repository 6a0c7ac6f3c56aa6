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


class HealthPublic(PublicModel):
    """200 with "ok" when every part is ready; 503 with "starting" until then."""

    status: Literal["ok", "starting"]
    checks: HealthChecksPublic
