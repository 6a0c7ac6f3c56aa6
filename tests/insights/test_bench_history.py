"""The bench's year of history (made small here) gives every panel data to work on, so the
figure `make bench` prints times every query doing real work.  No timing is asserted."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

import bench.insights_history as year
from assistant.services import insights
from assistant.store.models import utcnow


def test_every_panel_has_data_on_the_bench_history(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(year, "CLIENTS", 60)
    monkeypatch.setattr(year, "APPOINTMENTS", 900)
    monkeypatch.setattr(year, "CONVERSATIONS", 900)
    now = utcnow()
    practice = year.build_year(session, now, seed=3)
    window = insights.default_window(ZoneInfo(practice.timezone), now, days=90)
    result = insights.insights(session, practice, window, scope="owner", now=now)
    empty = [panel.key for panel in result.panels if panel.status != "ok"]
    assert empty == []
