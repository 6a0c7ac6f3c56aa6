"""The outreach loop in the gateway: every minute, plan every client, then act on due jobs.

Like the SMS outbox (channels/sms/outbox.py), a due job is claimed with a lease (a
conditional UPDATE whose row count says who won), so several gateway processes can run
this loop and a job is still acted on once.  A lease left by a crashed process runs out
after `LEASE` and the job is taken again.  After downtime the planner cancels what went
stale and the sender re-checks every job at send time, so nothing is sent late.
`run_once(session_factory, now)` is the whole pass; the thread only calls it with the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from assistant.conversation.lease import new_owner
from assistant.logs import get_logger
from assistant.outreach import planner, sender
from assistant.services.periodic import PeriodicJob
from assistant.store.engine import get_engine
from assistant.store.models import OutreachJob, OutreachState, Practice, utcnow
from assistant.store.statements import affected_rows

log = get_logger("outreach.scheduler")

LEASE = dt.timedelta(seconds=60)
BATCH = 50
POLL_SECONDS = 60.0


@dataclass
class PassResult:
    outcomes: dict[int, str] = field(default_factory=dict)  # job id -> "sent", "wait" or a reason

    @property
    def sent(self) -> list[int]:
        return [job_id for job_id, outcome in self.outcomes.items() if outcome == "sent"]


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    return or_(
        OutreachJob.state == OutreachState.PLANNED,
        and_(OutreachJob.state == OutreachState.SENDING, OutreachJob.lease_until < now),  # its owner died
    )


def claim(session: Session, job_id: int, *, owner: str, now: dt.datetime) -> bool:
    won = affected_rows(
        session,
        update(OutreachJob)
        .where(OutreachJob.id == job_id, OutreachJob.due_at <= now, _claimable(now))
        .values(
            state=OutreachState.SENDING, lease_until=now + LEASE, leased_by=owner, attempts=OutreachJob.attempts + 1
        )
        .execution_options(synchronize_session=False),
    )
    return won == 1


def due_jobs(session: Session, now: dt.datetime, practice_id: int | None = None) -> list[int]:
    query = select(OutreachJob.id).where(OutreachJob.due_at <= now, _claimable(now))
    if practice_id is not None:
        query = query.where(OutreachJob.practice_id == practice_id)
    return list(session.scalars(query.order_by(OutreachJob.due_at, OutreachJob.id).limit(BATCH)))


def run_once(
    session_factory: sessionmaker[Session], now: dt.datetime, *, owner: str | None = None, plan: bool = True
) -> PassResult:
    """One pass at `now`: plan every practice's clients, then claim and act on what is due."""
    owner = owner or new_owner()
    result = PassResult()
    if plan:
        with session_factory.begin() as session:
            practice_ids = list(session.scalars(select(Practice.id).order_by(Practice.id)))
        for practice_id in practice_ids:
            with session_factory.begin() as session:
                planner.plan_practice(session, session.get_one(Practice, practice_id), now=now)
    with session_factory.begin() as session:
        candidates = due_jobs(session, now)
    for job_id in candidates:
        with session_factory.begin() as session:
            if not claim(session, job_id, owner=owner, now=now):
                continue
        try:
            with session_factory.begin() as session:
                result.outcomes[job_id] = sender.process(session, job_id, owner=owner, now=now)
        except sender.LeaseLost:
            log.warning("outreach_lease_lost", job_id=job_id)
        except Exception:
            # Left leased: retried when the lease runs out (and by then re-checked against the rules).
            log.exception("outreach_job_failed", job_id=job_id)
    if result.outcomes:
        log.info("outreach_pass", acted=len(result.outcomes), sent=len(result.sent))
    return result


def outreach_loop(database_url: str | None = None, poll_seconds: float = POLL_SECONDS) -> PeriodicJob:
    """The gateway's thread: `run_once` every minute with the real clock."""
    factory = sessionmaker(bind=get_engine(database_url), expire_on_commit=False)
    owner = new_owner()
    return PeriodicJob("outreach", poll_seconds, lambda: run_once(factory, utcnow(), owner=owner))
