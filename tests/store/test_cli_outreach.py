"""`assistant outreach plan|run` (assistant/cli_outreach.py) on a fresh demo database, output captured."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.cli_outreach import plan, run
from assistant.store.models import Conversation, Message, OutreachJob, OutreachState
from tests.support.outreach_demo import DEMO_NOW, booked_sessions, cli_settings, client_named, load_demo

NY = ZoneInfo("America/New_York")


def outbox_texts(session: Session, mobile: str | None) -> list[str]:
    session.expire_all()
    texts = list(
        session.scalars(
            select(Message.text).join(Conversation).where(Conversation.address == mobile).order_by(Message.id)
        )
    )
    session.commit()
    return texts


def test_plan_lists_the_weeks_reminders_with_waits_and_skips_and_keeps_nothing(
    db_url: str, session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    load_demo(session)
    client_named(session, "Priya").do_not_contact = True
    client_named(session, "Chris").timezone = "Pacific/Honolulu"  # his 48 h reminder falls at 5 AM there
    session.commit()
    assert plan(cli_settings(db_url), 7, now=DEMO_NOW) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Outreach for Lakeside Counseling, Wed Nov 25, 10:17 AM to Wed Dec 2, 10:17 AM")

    def line(rule: str, who: str) -> str:
        [found] = [text for text in lines if rule in text and f"({who})" in text]
        return found

    assert line("reminder_48h", "Jordan").split()[:4] == ["Wed", "Nov", "25,", "3:00"]
    assert line("reminder_48h", "Jordan").endswith(" send")
    assert line("reminder_24h", "Priya").endswith("skip: do_not_contact")
    assert "waits for 8:00 AM" in line("reminder_48h", "Chris") and line("reminder_48h", "Chris").endswith("send")
    assert session.scalar(select(func.count()).select_from(OutreachJob)) == 0  # a forecast: rolled back


@pytest.mark.parametrize("offset", ["-05:00", ""], ids=["with_offset", "practice_zone"])
def test_run_sends_what_is_due_at_that_moment_and_prints_it(
    db_url: str, session: Session, capsys: pytest.CaptureFixture[str], offset: str
) -> None:
    load_demo(session)
    jordan = client_named(session, "Jordan")
    [appointment] = booked_sessions(session, jordan)
    due = (appointment.starts_at - dt.timedelta(hours=48)).astimezone(NY)
    session.commit()
    early = (due - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M") + offset
    assert run(cli_settings(db_url), early) == 0
    assert all("(Jordan)" not in text for text in capsys.readouterr().out.splitlines())
    assert outbox_texts(session, jordan.mobile_e164) == []

    assert run(cli_settings(db_url), due.strftime("%Y-%m-%dT%H:%M") + offset) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"outreach run at {due.isoformat()}: ")
    [line] = [text for text in out.splitlines() if "(Jordan)" in text]
    assert "reminder_48h" in line and line.endswith(" sent")
    [text] = outbox_texts(session, jordan.mobile_e164)
    assert text.startswith("Lakeside Counseling: reminder of your video session Fri Nov 27, 3:00 PM ET.")
    reminder = session.scalars(
        select(OutreachJob).where(OutreachJob.client_id == jordan.id, OutreachJob.rule == "reminder_48h")
    ).one()
    assert reminder.state is OutreachState.SENT


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_run_with_a_bad_moment_exits_2_and_says_what_it_wants(
    db_url: str, session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    load_demo(session)
    assert run(cli_settings(db_url), "tomorrow at nine") == 2
    captured = capsys.readouterr()
    assert "error: --now wants ISO 8601, e.g. 2026-12-03T09:00-05:00 (got 'tomorrow at nine')" in captured.err
    assert captured.out == ""
    assert session.scalar(select(func.count()).select_from(OutreachJob)) == 0
