"""Outreach with the real stack: the rules plan a client's reminder, the scheduler's sender
puts it in the outbox, the running gateway's outbox sends it through the real twilio
client (to the fake Twilio API), and the client's "C" confirms the session in the store.

Only this test's own client is planned and sent (not `run_once` over every practice):
other tests share the stack's database and must not receive texts at a moment picked here.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from assistant.conversation.lease import new_owner
from assistant.outreach import scheduler, sender
from assistant.services.outreach import plan_client
from assistant.store.engine import session_scope
from assistant.store.models import Appointment, Client, OutreachJob, OutreachKind, OutreachState, utcnow
from tests.support.clients import PRIYA
from tests.support.outreach_jobs import appointment, next_session
from tests.support.stack import RunningStack
from tests.support.stack_sms import text


def _send_due(database_url: str, client_id: int, now: dt.datetime) -> list[OutreachJob]:
    owner = new_owner()
    with session_scope(database_url) as session:
        plan_client(session, client_id, now=now)
        due = [
            job_id
            for job_id in scheduler.due_jobs(session, now)
            if session.get_one(OutreachJob, job_id).client_id == client_id
        ]
    for job_id in due:
        with session_scope(database_url) as session:
            assert scheduler.claim(session, job_id, owner=owner, now=now)
        with session_scope(database_url) as session:
            sender.process(session, job_id, owner=owner, now=now)
    with session_scope(database_url) as session:
        jobs = list(session.scalars(select(OutreachJob).where(OutreachJob.client_id == client_id)))
        for job in jobs:
            session.expunge(job)
        return jobs


def _daytime_zone(now: dt.datetime) -> str:
    """A time zone where it is daytime now, so quiet hours (21:00-08:00, the client's zone)
    never hold the text back whenever the test runs; one of these always is."""
    for zone in DAYTIME_CANDIDATES:
        if 9 <= now.astimezone(ZoneInfo(zone)).hour < 20:
            return zone
    raise AssertionError("no candidate zone is in daytime")


DAYTIME_CANDIDATES = ("America/New_York", "America/Los_Angeles", "Pacific/Honolulu", "Europe/London", "Asia/Tokyo")


def test_a_reminder_goes_out_through_the_outbox_and_c_confirms_it(stack: RunningStack, new_client) -> None:
    own = new_client(PRIYA)  # like Priya: a session within the next 24 hours
    session = next_session(stack.database_url, own.id)
    now = utcnow()
    with session_scope(stack.database_url) as db:
        db.get_one(Client, own.id).timezone = _daytime_zone(now)
    jobs = _send_due(stack.database_url, own.id, now)
    [reminder] = [job for job in jobs if job.kind is OutreachKind.REMINDER and job.state is OutreachState.SENT]
    assert reminder.rule == "reminder_24h" and reminder.message_id is not None
    deadline = time.monotonic() + 30
    while not stack.twilio.sent_to(own.mobile) and time.monotonic() < deadline:
        time.sleep(0.2)  # the gateway's outbox thread sends it; nothing here to wait on but the fake API
    [delivered] = stack.twilio.sent_to(own.mobile)
    body = delivered.form["Body"]
    assert "Reply C to confirm" in body and "Reply STOP to opt out" in body
    assert "Patel" not in body and "http" not in body  # no clinician name, no link in outreach
    reply = text(stack, own.mobile, "C")
    assert reply.startswith("You're confirmed for ")
    with session_scope(stack.database_url) as db:
        assert db.get_one(Appointment, session.id).confirmed_at is not None
    assert appointment(stack.database_url, session.id).confirmed_at is not None
