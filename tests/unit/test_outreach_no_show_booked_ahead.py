"""A no-show follow-up for a client whose next session was booked long before the miss
(a weekly client): the missed session still wants a new time, so the follow-up is planned;
a session booked after the mark counts as rebooked."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.outreach.rules import ClientFacts, SessionFact, jobs_for
from assistant.outreach.settings import OutreachSettings

NY = ZoneInfo("America/New_York")
MISSED = dt.datetime(2026, 11, 30, 10, tzinfo=NY)
MARKED = dt.datetime(2026, 12, 1, 12, tzinfo=NY)  # marked the next day, in the console


def fact(id_: int, starts_at: dt.datetime, status: str, created_at: dt.datetime) -> SessionFact:
    return SessionFact(
        id=id_,
        status=status,
        starts_at=starts_at,
        modality="in_person",
        created_at=created_at,
        status_changed_at=MARKED if status == "no_show" else None,
    )


def rules_at(*sessions: SessionFact) -> set[str]:
    return {job.rule for job in jobs_for(ClientFacts(client_id=1, sessions=sessions), OutreachSettings(), MARKED)}


def test_a_session_booked_before_the_miss_does_not_stop_the_no_show_follow_up() -> None:
    missed = fact(1, MISSED, "no_show", MISSED - dt.timedelta(days=7))
    next_week = fact(2, MISSED + dt.timedelta(days=8), "booked", MISSED - dt.timedelta(days=7))
    assert "no_show" in rules_at(missed, next_week)


def test_a_session_booked_after_the_mark_is_a_rebooking() -> None:
    missed = fact(1, MISSED, "no_show", MISSED - dt.timedelta(days=7))
    rebooked = fact(2, MISSED + dt.timedelta(days=3), "booked", MARKED)  # booked at the mark
    assert "no_show" not in rules_at(missed, rebooked)
