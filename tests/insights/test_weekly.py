"""The weekly summary: last week's five headline numbers and their change from the week before."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.cli_insights import HTML_SEPARATOR, weekly
from assistant.services.insights.weekly import last_week, weekly_summary
from tests.insights.history import History, at
from tests.support.console import make_settings

MONDAY = at("2026-11-16", "08:00")  # the summary's Monday: last week is 9-15 November


def test_last_week_is_the_monday_to_sunday_before_this_one() -> None:
    assert last_week(dt.date(2026, 11, 16)) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    assert last_week(dt.date(2026, 11, 22)) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))


def _two_weeks(history: History) -> None:
    history.conversation(at("2026-11-10", "10:00"), client=history.client())  # last week: 1 of 1
    history.conversation(at("2026-11-03", "10:00"), client=history.client())  # the week before: 1 of 2
    handed = history.conversation(at("2026-11-04", "10:00"), client=history.client())
    history.handoff(handed, at("2026-11-04", "10:01"))


def test_the_summary_gives_each_number_and_its_change(history: History) -> None:
    _two_weeks(history)
    summary = weekly_summary(history.session, history.practice, MONDAY)
    assert (summary.week_from, summary.week_to) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    assert len(summary.headlines) == 5
    containment = summary.headlines[0]
    assert (containment.value, containment.previous, containment.change) == (100.0, 50.0, 50.0)
    assert all(h.change is None for h in summary.headlines[2:])  # no reminders, sessions or cancellations


def test_the_command_prints_text_then_html(history: History, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _two_weeks(history)
    history.session.commit()
    assert weekly(make_settings(db_url), history.practice.slug, now=MONDAY) == 0
    text, html = capsys.readouterr().out.split(HTML_SEPARATOR)
    assert "Containment (resolved by the bot)" in text and "100.0%" in text and "up 50.0 points (better)" in text
    assert "<table>" in html and '<th scope="row">Containment (resolved by the bot)</th><td>100.0%</td>' in html
    assert "Client" not in text + html  # no client names (they are "Test Client<n>")


def test_an_unknown_practice_is_an_error(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert weekly(make_settings(db_url), "no-such-practice") == 1
    assert "no practice" in capsys.readouterr().err
