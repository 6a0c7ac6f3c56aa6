"""Limits on failed console sign-ins, and the audit of account lockouts.

Three limits, all checked before the password is (so the right password is refused too
while one applies):

- per email and address: MAX_FAILURES_PER_EMAIL_AND_IP failures in FAILURE_WINDOW;
- per address: MAX_FAILURES_PER_IP failures in FAILURE_WINDOW (many emails from one machine);
- per account, whatever the address: once an email has ACCOUNT_FREE_FAILURES failures within
  ACCOUNT_FAILURE_WINDOW, each further attempt waits ACCOUNT_FIRST_BACKOFF after the latest
  failure, doubled for every failure beyond that, at most ACCOUNT_MAX_BACKOFF. Rotating
  addresses (or a forged X-Forwarded-For) gains nothing against this one.

Unknown emails are counted and throttled exactly like real ones, so neither the answers nor
their timing say which emails exist. The address is the peer the app was given (see
FORWARDED_ALLOW_IPS in assistant/config.py): forwarding headers only count from a trusted proxy.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from assistant.logs import get_logger
from assistant.services import audit
from assistant.store.models import AuditEvent, Rep, RepSignInFailure

log = get_logger("services.sign_in_throttle")

FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL_AND_IP = 5
MAX_FAILURES_PER_IP = 30  # many emails tried from one address

ACCOUNT_FAILURE_WINDOW = dt.timedelta(hours=24)  # older failures no longer count against an account
ACCOUNT_FREE_FAILURES = 5  # an account's failures before it backs off
ACCOUNT_FIRST_BACKOFF = dt.timedelta(minutes=1)  # wait after the 5th failure; doubles per further one
ACCOUNT_MAX_BACKOFF = dt.timedelta(minutes=60)
# Failures are kept only as long as some limit can count them.
FAILURE_RETENTION = max(FAILURE_WINDOW, ACCOUNT_FAILURE_WINDOW)

LOCKED = "rep_sign_in_locked"
UNLOCKED = "rep_sign_in_unlocked"


@dataclass(frozen=True)
class Throttle:
    """Why sign-in is refused right now, and how long until it may be tried again."""

    reason: Literal["address", "account"]
    retry_after: dt.timedelta

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds()))


def account_backoff(failures: int) -> dt.timedelta:
    """How long an account waits after its latest failure, given its failures in the window."""
    if failures < ACCOUNT_FREE_FAILURES:
        return dt.timedelta(0)
    # The exponent is capped only so the multiplication cannot overflow a timedelta.
    doublings = min(failures - ACCOUNT_FREE_FAILURES, 32)
    return min(ACCOUNT_FIRST_BACKOFF * (1 << doublings), ACCOUNT_MAX_BACKOFF)


def describe_wait(seconds: int) -> str:
    """'1 minute', '15 minutes': rounded up, so waiting that long is always enough."""
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _count(session: Session, since: dt.datetime, **match: str) -> int:
    query = select(func.count()).select_from(RepSignInFailure).where(RepSignInFailure.at > since)
    for column, value in match.items():
        query = query.where(getattr(RepSignInFailure, column) == value)
    return session.scalar(query) or 0


def _account_failures(session: Session, email: str, now: dt.datetime) -> int:
    return _count(session, now - ACCOUNT_FAILURE_WINDOW, email=email)


def _account_wait(session: Session, email: str, now: dt.datetime) -> dt.timedelta:
    backoff = account_backoff(_account_failures(session, email, now))
    if not backoff:
        return backoff
    latest = session.scalars(
        select(RepSignInFailure.at).where(RepSignInFailure.email == email).order_by(RepSignInFailure.at.desc()).limit(1)
    ).first()
    return latest + backoff - now if latest is not None else dt.timedelta(0)


def check(session: Session, email: str, ip: str, now: dt.datetime) -> Throttle | None:
    """The limit that refuses this attempt (the longest wait if several do), or None."""
    found: list[Throttle] = []
    recent = now - FAILURE_WINDOW
    if (
        _count(session, recent, email=email, ip=ip) >= MAX_FAILURES_PER_EMAIL_AND_IP
        or _count(session, recent, ip=ip) >= MAX_FAILURES_PER_IP
    ):
        # An upper bound (the oldest counted failure may leave the window sooner): simple to
        # state, and waiting that long is always enough.
        found.append(Throttle("address", FAILURE_WINDOW))
    account_wait = _account_wait(session, email, now)
    if account_wait > dt.timedelta(0):
        found.append(Throttle("account", account_wait))
    return max(found, key=lambda throttle: throttle.retry_after) if found else None


def sweep(session: Session, now: dt.datetime) -> None:
    session.execute(delete(RepSignInFailure).where(RepSignInFailure.at < now - FAILURE_RETENTION))


def _subject(rep: Rep | None) -> tuple[str, str]:
    return (f"rep:{rep.id}", str(rep.id)) if rep else ("anonymous", "unknown")


def record_failure(
    session: Session, email: str, ip: str, now: dt.datetime, rep: Rep | None, request_id: str | None
) -> None:
    """Count one wrong password (or unknown/inactive account); audit the lockout it may start."""
    actor, subject_id = _subject(rep)
    session.add(RepSignInFailure(email=email[:254], ip=ip[:64], at=now))
    audit.record(
        session,
        actor=actor,
        action="rep_sign_in_failed",
        subject_type="rep",
        subject_id=subject_id,
        details={"ip": ip},
        request_id=request_id,
        at=now,
    )
    session.flush()
    failures = _account_failures(session, email[:254], now)
    # Attempts are refused unchecked while the account waits, so failures grow one at a time and
    # reaching the threshold is the moment the account enters back-off: audited once per lockout.
    if failures == ACCOUNT_FREE_FAILURES:
        wait = account_backoff(failures)
        log.warning("rep_sign_in_locked", rep_id=subject_id, ip=ip)
        audit.record(
            session,
            actor=actor,
            action=LOCKED,
            subject_type="rep",
            subject_id=subject_id,
            details={"ip": ip, "failures": failures, "wait_seconds": int(wait.total_seconds())},
            request_id=request_id,
            at=now,
        )


def _lockout_open(session: Session, rep: Rep) -> bool:
    """Whether the rep's latest lockout event is a lock that no unlock has followed yet."""
    latest = session.scalars(
        select(AuditEvent.action)
        .where(
            AuditEvent.subject_type == "rep",
            AuditEvent.subject_id == str(rep.id),
            AuditEvent.action.in_((LOCKED, UNLOCKED)),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    ).first()
    return latest == LOCKED


def record_success(session: Session, email: str, ip: str, now: dt.datetime, rep: Rep, request_id: str | None) -> None:
    """A correct sign-in ends the account's back-off (audited if it was locked) and its count."""
    if _lockout_open(session, rep):
        audit.record(
            session,
            actor=f"rep:{rep.id}",
            action=UNLOCKED,
            subject_type="rep",
            subject_id=rep.id,
            details={"ip": ip, "by": "sign_in"},
            request_id=request_id,
            at=now,
        )
    # All of the account's failures go, whatever their address: the account limit starts afresh
    # for its owner. (This also lifts the email+address limit of other addresses for this one
    # account; the account limit still stops them after ACCOUNT_FREE_FAILURES more.)
    session.execute(delete(RepSignInFailure).where(RepSignInFailure.email == email))
