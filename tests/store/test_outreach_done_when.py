"""Issue 11's done-when, as a new user tries it on a fresh demo database (no Rasa needed):
`assistant outreach run --now <48 h before Jordan's session>` puts his reminder in
`assistant outbox`; marking Chris's unmarked session from yesterday a no-show (the console's
service) and running outreach an hour later sends the follow-up; the dropped-off worklist
lists Morgan."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.cli_outreach import run
from assistant.services import outreach_client, outreach_worklist
from assistant.sms_cli import outbox
from assistant.store.engine import session_scope
from assistant.store.models import (
    AppointmentStatus,
    Message,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
    Rep,
)
from tests.support.outreach_demo import DEMO_NOW, booked_sessions, cli_settings, client_named, load_demo

NY = ZoneInfo("America/New_York")


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(NY).isoformat(timespec="minutes")


def test_reminder_no_show_follow_up_and_worklist_as_a_new_user_tries_them(
    db_url: str, session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    load_demo(session)
    settings = cli_settings(db_url)
    jordan, chris = client_named(session, "Jordan"), client_named(session, "Chris")
    [jordans_session] = booked_sessions(session, jordan)
    reminder_at = jordans_session.starts_at - dt.timedelta(hours=48)
    session.commit()

    # 1. The 48 h reminder, in the outbox.
    assert run(settings, iso(reminder_at)) == 0
    assert outbox(settings) == 0
    shown = capsys.readouterr().out
    assert f"to {jordan.mobile_e164}  queued" in shown
    assert "'Lakeside Counseling: reminder of your video session Fri Nov 27, 3:0" in shown
    with session_scope(settings.database_url) as db:
        bodies = db.scalars(
            select(func.coalesce(Message.client_text, Message.text))
            .join(OutreachJob, OutreachJob.message_id == Message.id)
            .where(OutreachJob.client_id == jordan.id, OutreachJob.kind == OutreachKind.REMINDER)
        ).all()
    assert bodies and all("Reply LINK for your video link." in body and "http" not in body for body in bodies)

    # 2. Chris's session yesterday is still booked (nobody marked it); a rep marks it a no-show.
    session.expire_all()
    missed, next_week = booked_sessions(session, chris)
    assert missed.starts_at < DEMO_NOW < next_week.starts_at
    rep = session.scalars(select(Rep).where(Rep.practice_id == chris.practice_id).order_by(Rep.id)).first()
    assert rep is not None
    marked_at = reminder_at + dt.timedelta(minutes=30)
    entry = outreach_client.mark_no_show(session, rep, missed, now=marked_at)
    session.commit()
    assert entry.status == AppointmentStatus.NO_SHOW.value

    # Not before the hour is up ...
    assert run(settings, iso(marked_at + dt.timedelta(minutes=59))) == 0
    assert f"({chris.first_name})" not in capsys.readouterr().out
    # ... then the follow-up goes out, though his next session was booked long before.
    assert run(settings, iso(marked_at + dt.timedelta(hours=1))) == 0
    [line] = [text for text in capsys.readouterr().out.splitlines() if f"({chris.first_name})" in text]
    assert "no_show" in line and line.endswith(" sent")
    assert outbox(settings) == 0
    shown = capsys.readouterr().out
    assert f"to {chris.mobile_e164}  queued" in shown and "We missed you" in shown
    session.expire_all()
    follow_up = session.scalars(
        select(OutreachJob).where(OutreachJob.client_id == chris.id, OutreachJob.rule == "no_show")
    ).one()
    assert (follow_up.state, follow_up.appointment_id) == (OutreachState.SENT, missed.id)
    session.commit()

    # 3. The dropped-off worklist: Morgan (last seen 45 days ago), nobody with a session booked.
    practice = session.get_one(Practice, chris.practice_id)
    listed = outreach_worklist.worklist(session, rep, practice, now=marked_at + dt.timedelta(hours=1))
    assert [entry.name for entry in listed] == ["Morgan Ellis"]
    assert listed[0].can_text and listed[0].last_contact is None
