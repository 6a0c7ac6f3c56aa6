"""Limits on proving who you are, per client: the one place that decides.

A chat proves it is a client by name + date of birth, or by a one-time code texted
to the mobile on file.  Both could be guessed if every chat had its own budget, so
failures are counted per client, across chats, addresses, gateway processes and the
action server: the counters are audit events about the client (subject_type
"client"; the index ix_audit_events_subject keeps counting cheap).

- A failed name+DOB check counts against every client with that first and last
  name (a wrong date of birth for "Jordan Lee" was aimed at Jordan Lee).  After
  NAME_DOB_MAX_FAILURES within NAME_DOB_FAILURE_WINDOW, name+DOB is locked for that
  client for NAME_DOB_COOLDOWN: even the right details are refused, answered exactly
  like wrong ones, and only a texted code works.
- Codes texted to one client are capped (CODE_TEXTS_PER_HOUR, CODE_TEXTS_PER_DAY);
  over the cap nothing is texted and the requester hears the usual "if the details
  match" answer.  After CODE_MAX_WRONG wrong codes within CODE_WRONG_WINDOW, codes
  for that client stop working for CODE_COOLDOWN.
- Each lock opens one ticket (identity_alerts) so a person knows; the failing chat
  itself is not touched by the per-client count.
- Per source address, the gateway also throttles (SOURCE_* limits, RateLimiter).

Audit events never carry the name, date of birth or code that was tried.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.logs import get_logger
from assistant.services import audit
from assistant.services.identity import client_ids_named, find_client_by_identity
from assistant.services.identity_alerts import raise_alert
from assistant.services.throttle import RateLimiter, parse_limits
from assistant.store.models import AuditEvent, Client, utcnow

log = get_logger("identity_guard")

NAME_DOB_MAX_FAILURES = 5  # failed checks aimed at one client ...
NAME_DOB_FAILURE_WINDOW = dt.timedelta(hours=1)  # ... within an hour lock name+DOB ...
NAME_DOB_COOLDOWN = dt.timedelta(hours=1)  # ... for an hour (a texted code still works)
CODE_TEXTS_PER_HOUR = 3  # codes texted to one client, any chats
CODE_TEXTS_PER_DAY = 10
CODE_MAX_WRONG = 10  # wrong codes for one client ...
CODE_WRONG_WINDOW = dt.timedelta(days=1)  # ... within a day stop its codes ...
CODE_COOLDOWN = dt.timedelta(hours=1)  # ... for an hour

# Per source address (request.client.host), in the gateway's rate limiter.  Failed name+DOB
# checks and wrong codes count; every code request counts (whether the details matched
# must not show in when the limit is reached).
SOURCE_FAILURE_LIMITS = parse_limits("10/minute;30/hour")
SOURCE_CODE_REQUEST_LIMITS = parse_limits("5/minute;20/hour")

# Audit actions.  Subject "client" unless noted; details never hold what was tried.
CHECK_FAILED = "identity_check_failed"  # subject the conversation: one per failed check
NAME_DOB_FAILED = "identity_name_dob_failed"  # one per client the failed check named
NAME_DOB_LOCKED = "identity_name_dob_locked"
CODE_SENT = "identity_code_sent"
CODE_WITHHELD = "identity_code_withheld"  # over a cap, or codes locked: nothing texted
CODE_FAILED = "identity_code_failed"
CODE_LOCKED = "identity_code_locked"


@dataclass(frozen=True)
class Attempt:
    """Where an identity attempt came from, for the audit trail."""

    conversation_id: str
    method: str  # "name_dob_prechat", "name_dob" (in chat), "code_request", "sms_code"
    source: str | None = None  # the caller's address; the action server has none
    request_id: str | None = None

    def details(self, **more: Any) -> dict[str, Any]:
        return {"method": self.method, "conversation": self.conversation_id, "source": self.source, **more}


# --- Counting -----------------------------------------------------------------------------


def _count(session: Session, client_id: int, action: str, since: dt.datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.subject_type == "client",
                AuditEvent.subject_id == str(client_id),
                AuditEvent.action == action,
                AuditEvent.at > since,
            )
        )
        or 0
    )


def serialize_attempts(session: Session, client_id: int) -> None:
    """Lock the client's row (PostgreSQL) so concurrent attempts count one after another.

    Take it before locking any of the client's code rows: one order, no deadlocks.
    """
    session.scalar(select(Client.id).where(Client.id == client_id).with_for_update())


def _record(session: Session, client_id: int, action: str, attempt: Attempt, now: dt.datetime, **details: Any) -> None:
    audit.record(
        session,
        actor="system",
        action=action,
        subject_type="client",
        subject_id=client_id,
        details=attempt.details(**details),
        request_id=attempt.request_id,
        at=now,
    )
    session.flush()


def _lock(
    session: Session,
    client_id: int,
    action: str,
    method: str,
    failures: int,
    cooldown: dt.timedelta,
    attempt: Attempt,
    now: dt.datetime,
) -> None:
    until = now + cooldown
    _record(session, client_id, action, attempt, now, failures=failures, until=until.isoformat())
    log.warning("identity_locked", client=client_id, method=method, failures=failures)
    raise_alert(
        session, client_id, method=method, failures=failures, locked_until=until, request_id=attempt.request_id, now=now
    )


# --- Name and date of birth ---------------------------------------------------------------


def name_dob_locked(session: Session, client_id: int, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    return _count(session, client_id, NAME_DOB_LOCKED, now - NAME_DOB_COOLDOWN) > 0


def check_name_and_dob(
    session: Session,
    practice_id: int,
    full_name: str,
    date_of_birth: dt.date,
    attempt: Attempt,
    *,
    now: dt.datetime | None = None,
) -> Client | None:
    """The client these details prove, or None: no match, ambiguous, or locked for that client.

    A locked client's right details fail exactly as wrong ones do, and count as a failure.
    """
    now = now or utcnow()
    client = find_client_by_identity(session, practice_id, full_name, date_of_birth)
    if client is not None and not name_dob_locked(session, client.id, now):
        return client
    record_name_dob_failure(session, practice_id, full_name, attempt, now=now)
    return None


def client_for_code_request(
    session: Session,
    practice_id: int,
    full_name: str,
    date_of_birth: dt.date,
    attempt: Attempt,
    *,
    now: dt.datetime | None = None,
) -> Client | None:
    """The client to text a code to.  A name+DOB lock does not apply: the code is the way out
    of it.  Details that match no one count as a failed name+DOB check."""
    now = now or utcnow()
    client = find_client_by_identity(session, practice_id, full_name, date_of_birth)
    if client is None:
        record_name_dob_failure(session, practice_id, full_name, attempt, now=now)
    return client


def record_name_dob_failure(
    session: Session, practice_id: int, full_name: str, attempt: Attempt, *, now: dt.datetime | None = None
) -> None:
    """Audit one failed check and count it against every client with that name."""
    now = now or utcnow()
    audit.record(
        session,
        actor="system",
        action=CHECK_FAILED,
        subject_type="conversation",
        subject_id=attempt.conversation_id,
        request_id=attempt.request_id,
        at=now,
        details={"method": attempt.method, "source": attempt.source},
    )
    for client_id in client_ids_named(session, practice_id, full_name):
        serialize_attempts(session, client_id)
        locked = name_dob_locked(session, client_id, now)
        _record(session, client_id, NAME_DOB_FAILED, attempt, now, while_locked=locked)
        failures = _count(session, client_id, NAME_DOB_FAILED, now - NAME_DOB_FAILURE_WINDOW)
        if not locked and failures >= NAME_DOB_MAX_FAILURES:
            _lock(session, client_id, NAME_DOB_LOCKED, "name_dob", failures, NAME_DOB_COOLDOWN, attempt, now)


def check_dob_for_client(
    session: Session, client: Client, date_of_birth: dt.date | None, attempt: Attempt, *, now: dt.datetime | None = None
) -> bool:
    """A caller whose number is on file for `client` proves it with the date of birth.

    The same per-client counter and lock as name+DOB (the name is known from the number):
    a locked client's right date fails like a wrong one.  `None` (nothing understood as a
    date) counts as a failure too, so a caller cannot probe without it costing an attempt.
    """
    now = now or utcnow()
    serialize_attempts(session, client.id)
    locked = name_dob_locked(session, client.id, now)
    if date_of_birth == client.date_of_birth and not locked:
        return True
    _record(session, client.id, NAME_DOB_FAILED, attempt, now, while_locked=locked)
    failures = _count(session, client.id, NAME_DOB_FAILED, now - NAME_DOB_FAILURE_WINDOW)
    if not locked and failures >= NAME_DOB_MAX_FAILURES:
        _lock(session, client.id, NAME_DOB_LOCKED, attempt.method, failures, NAME_DOB_COOLDOWN, attempt, now)
    return False


# --- One-time codes -----------------------------------------------------------------------


def code_locked(session: Session, client_id: int, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    return _count(session, client_id, CODE_LOCKED, now - CODE_COOLDOWN) > 0


def may_text_code(session: Session, client: Client, attempt: Attempt, *, now: dt.datetime | None = None) -> bool:
    """Whether a code may be texted to this client now; the decision is audited either way.

    True counts as a text sent: call it only right before sending.
    """
    now = now or utcnow()
    serialize_attempts(session, client.id)
    reason = None
    if code_locked(session, client.id, now):
        reason = "codes_locked"
    elif _count(session, client.id, CODE_SENT, now - dt.timedelta(hours=1)) >= CODE_TEXTS_PER_HOUR:
        reason = "hourly_cap"
    elif _count(session, client.id, CODE_SENT, now - dt.timedelta(days=1)) >= CODE_TEXTS_PER_DAY:
        reason = "daily_cap"
    if reason is None:
        _record(session, client.id, CODE_SENT, attempt, now)
        return True
    _record(session, client.id, CODE_WITHHELD, attempt, now, reason=reason)
    log.info("verification_code_withheld", client=client.id, reason=reason)
    return False


def record_wrong_code(session: Session, client_id: int, attempt: Attempt, *, now: dt.datetime | None = None) -> None:
    """Count a wrong (or locked-out) code against the client it was texted to."""
    now = now or utcnow()
    serialize_attempts(session, client_id)
    locked = code_locked(session, client_id, now)
    _record(session, client_id, CODE_FAILED, attempt, now, while_locked=locked)
    failures = _count(session, client_id, CODE_FAILED, now - CODE_WRONG_WINDOW)
    if not locked and failures >= CODE_MAX_WRONG:
        _lock(session, client_id, CODE_LOCKED, "sms_code", failures, CODE_COOLDOWN, attempt, now)


# --- Per source address -------------------------------------------------------------------


_FAILURE_BUCKET = "identity-failure"
_CODE_REQUEST_BUCKET = "identity-code-request"


def source_wait(limiter: RateLimiter, source: str, *, code_request: bool = False) -> int | None:
    """Seconds this address must wait before its next identity attempt; None if it may try."""
    if code_request:
        return limiter.retry_after(SOURCE_CODE_REQUEST_LIMITS, _CODE_REQUEST_BUCKET, source)
    return limiter.retry_after(SOURCE_FAILURE_LIMITS, _FAILURE_BUCKET, source)


def count_source_failure(limiter: RateLimiter, source: str) -> None:
    limiter.hit(SOURCE_FAILURE_LIMITS, _FAILURE_BUCKET, source)


def count_source_code_request(limiter: RateLimiter, source: str) -> None:
    limiter.hit(SOURCE_CODE_REQUEST_LIMITS, _CODE_REQUEST_BUCKET, source)
