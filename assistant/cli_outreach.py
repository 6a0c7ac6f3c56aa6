"""`assistant outreach plan|run`: the outreach rules from a terminal.

`plan` shows what would be sent in the next days and why, changing nothing (the planning is
rolled back): each planned job at its due time through the same limits the scheduler applies,
including waits for quiet hours and skips with their reason, then what was decided lately.
`run --now` is one scheduler pass at a given moment (demos and tests); the gateway's loop
uses the clock.  Clients are shown by id and first name only.
"""

from __future__ import annotations

import datetime as dt
import sys
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.config import Settings
from assistant.outreach import limits, planner, scheduler, sender
from assistant.outreach.settings import settings_for
from assistant.store.engine import get_engine
from assistant.store.models import Client, OutreachJob, OutreachState, Practice, utcnow
from assistant.wording import formats


def parse_moment(text: str, zone: ZoneInfo) -> dt.datetime:
    """ISO 8601; without an offset, the practice's time zone."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _factory(settings: Settings) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(settings.database_url), expire_on_commit=False)


def _practice(session: Session, settings: Settings) -> Practice | None:
    return session.scalars(select(Practice).where(Practice.slug == settings.practice_slug)).first()


def _who(client: Client) -> str:
    return f"client {client.id} ({client.first_name})"


def _forecast(session: Session, job: OutreachJob, sent: list[dt.datetime], now: dt.datetime) -> str:
    """What the scheduler would do with this job when it falls due (simulated: `sent` grows)."""
    client, practice = job.client, session.get_one(Practice, job.practice_id)
    desired = {p.event_key: p for p in planner.desired_jobs(session, client, settings_for(practice), now)}
    stale_at = desired[job.event_key].stale_at if job.event_key in desired else None
    contact = sender.contact_for(session, client, practice)
    moment, note = max(job.due_at, now), ""
    decision = limits.decide(contact, sent_at=sent, now=moment, stale_at=stale_at)
    if isinstance(decision, limits.Wait):
        zone = ZoneInfo(contact.timezone)
        moment, note = decision.until, f"waits for {formats.clock_with_zone(decision.until, zone)} (quiet hours); "
        decision = limits.decide(contact, sent_at=sent, now=moment, stale_at=stale_at)
    if isinstance(decision, limits.Send):
        sent.append(moment)
        return f"{note}send"
    if isinstance(decision, limits.Skip):
        return f"{note}skip: {decision.reason}"
    return f"{note}waits again"


def plan(settings: Settings, days: int, now: dt.datetime | None = None) -> int:
    now = now or utcnow()
    horizon = now + dt.timedelta(days=days)
    with _factory(settings)() as session:
        practice = _practice(session, settings)
        if practice is None:
            print("error: no practice yet; run `assistant demo-data`", file=sys.stderr)
            return 1
        zone = ZoneInfo(practice.timezone)
        planner.plan_practice(session, practice, now=now)
        session.flush()
        upcoming = session.scalars(
            select(OutreachJob)
            .where(
                OutreachJob.practice_id == practice.id,
                OutreachJob.state == OutreachState.PLANNED,
                OutreachJob.due_at <= horizon,
            )
            .order_by(OutreachJob.due_at, OutreachJob.id)
        ).all()
        print(
            f"Outreach for {practice.name}, {formats.day_and_time(now, zone)} to {formats.day_and_time(horizon, zone)}:"
        )
        sent: dict[int, list[dt.datetime]] = {}
        for job in upcoming:
            history = sent.setdefault(job.client_id, sender.sent_times(session, job.client_id))
            when = formats.day_and_time(max(job.due_at, now), zone)
            print(f"  {when:<22} {job.rule:<24} {_who(job.client):<28} {_forecast(session, job, history, now)}")
        if not upcoming:
            print("  nothing planned")
        recent = session.scalars(
            select(OutreachJob)
            .where(
                OutreachJob.practice_id == practice.id,
                OutreachJob.state.in_([OutreachState.SKIPPED, OutreachState.CANCELLED, OutreachState.SENT]),
                OutreachJob.decided_at >= now - dt.timedelta(days=days),
            )
            .order_by(OutreachJob.decided_at, OutreachJob.id)
        ).all()
        if recent:
            print(f"Decided in the last {days} days:")
        for job in recent:
            assert job.decided_at is not None
            outcome = job.state.value + (f": {job.reason}" if job.reason else "")
            print(f"  {formats.day_and_time(job.decided_at, zone):<22} {job.rule:<24} {_who(job.client):<28} {outcome}")
        session.rollback()  # a forecast: nothing planned here is kept
    return 0


def run(settings: Settings, now_text: str) -> int:
    factory = _factory(settings)
    with factory() as session:
        practice = _practice(session, settings)
        zone = ZoneInfo(practice.timezone if practice is not None else "UTC")
    try:
        now = parse_moment(now_text, zone)
    except ValueError:
        print(f"error: --now wants ISO 8601, e.g. 2026-12-03T09:00-05:00 (got {now_text!r})", file=sys.stderr)
        return 2
    result = scheduler.run_once(factory, now)
    print(f"outreach run at {now.isoformat()}: {len(result.sent)} sent, {len(result.outcomes)} acted on")
    with factory() as session:
        for job_id, outcome in result.outcomes.items():
            job = session.get_one(OutreachJob, job_id)
            print(f"  job {job_id:<6} {job.rule:<24} {_who(job.client):<28} {outcome}")
    return 0
