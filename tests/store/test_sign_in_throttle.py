"""Sign-in limits on the store (SQLite and PostgreSQL), on an explicit clock (`now=`).

The per-account back-off is what stops guesses spread over many addresses; the
per-address limits stay as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.services import reps as rep_accounts
from assistant.services import sign_in_throttle as throttle
from assistant.store.models import AuditEvent, Practice, Rep, RepSignInFailure

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
EMAIL = "backoff@throttle.example"
PASSWORD = "a-long-enough-password"
NOBODY = "nobody@throttle.example"


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [
        (0, 0),
        (4, 0),
        (5, 1),
        (6, 2),
        (7, 4),
        (8, 8),
        (9, 16),
        (10, 32),
        (11, 60),
        (12, 60),
        (10**6, 60),  # capped, and no overflow however many failures pile up
    ],
)
def test_the_back_off_schedule(failures: int, minutes: int) -> None:
    assert throttle.account_backoff(failures) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (1, "1 minute"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (900, "15 minutes"),
        (3600, "60 minutes"),
    ],
)
def test_waits_are_rounded_up_to_minutes(seconds: int, text: str) -> None:
    assert throttle.describe_wait(seconds) == text


@pytest.fixture
def rep(session: Session) -> Rep:
    practice = Practice(
        slug="throttle",
        name="Throttle Practice",
        timezone="America/New_York",
        business_hours={},
        cancellation_window_hours=24,
        late_cancel_fee_cents=0,
        response_window_minutes=30,
        session_minutes=50,
        sms_clinical_details_allowed=False,
    )
    session.add(practice)
    session.flush()
    created = rep_accounts.create_rep(
        session, practice_id=practice.id, email=EMAIL, display_name="Backoff Rep", password=PASSWORD
    )
    session.commit()
    return created


Attempt = Callable[..., str]


@pytest.fixture
def attempt(session: Session) -> Attempt:
    """Sign in at `at` from `ip`: 'ok', or the SignInError's code (throttled: with its seconds)."""

    def _attempt(email: str, password: str, ip: str, at: dt.datetime) -> str:
        try:
            rep_accounts.sign_in(session, email, password, ip=ip, production=False, now=at)
        except rep_accounts.SignInError as error:
            if error.code == "throttled":
                return f"throttled {error.retry_after_seconds}"
            return error.code
        return "ok"

    return _attempt


def _actions(session: Session, *actions: str) -> list[tuple[str, str, dict]]:
    events = session.scalars(select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)).all()
    return [(event.action, event.subject_id, event.details or {}) for event in events]


def test_the_account_backs_off_whatever_the_address(session: Session, rep: Rep, attempt: Attempt) -> None:
    # Five wrong guesses, each from a new address: no address limit is ever reached.
    for i in range(5):
        assert attempt(EMAIL, "wrong guess", f"198.51.100.{i}", T0 + dt.timedelta(seconds=i)) == "invalid"
    last = T0 + dt.timedelta(seconds=4)
    # The right password from yet another address waits out the first minute too...
    assert attempt(EMAIL, PASSWORD, "203.0.113.1", last + dt.timedelta(seconds=1)) == "throttled 59"
    assert attempt(EMAIL, PASSWORD, "203.0.113.2", last + dt.timedelta(seconds=59)) == "throttled 1"
    # ...then a sixth wrong guess doubles the wait, counted from that guess.
    sixth = last + dt.timedelta(minutes=1)
    assert attempt(EMAIL, "wrong again", "203.0.113.3", sixth) == "invalid"
    assert attempt(EMAIL, PASSWORD, "203.0.113.4", sixth) == "throttled 120"
    assert attempt(EMAIL, PASSWORD, "203.0.113.5", sixth + dt.timedelta(seconds=119)) == "throttled 1"
    assert attempt(EMAIL, PASSWORD, "203.0.113.6", sixth + dt.timedelta(minutes=2)) == "ok"

    # One lockout, one unlock, in that order, whatever was refused in between.
    assert _actions(session, throttle.LOCKED, throttle.UNLOCKED) == [
        (throttle.LOCKED, str(rep.id), {"ip": "198.51.100.4", "failures": 5, "wait_seconds": 60}),
        (throttle.UNLOCKED, str(rep.id), {"ip": "203.0.113.6", "by": "sign_in"}),
    ]
    # The owner's sign-in starts the count afresh: the next typo is just a typo.
    after = sixth + dt.timedelta(minutes=3)
    assert attempt(EMAIL, "a typo", "203.0.113.6", after) == "invalid"
    assert attempt(EMAIL, PASSWORD, "203.0.113.6", after) == "ok"
    assert len(_actions(session, throttle.LOCKED)) == 1


def test_the_back_off_is_capped_at_an_hour(session: Session, rep: Rep, attempt: Attempt) -> None:
    at = T0
    for failures in range(1, 13):
        assert attempt(EMAIL, "wrong", f"198.51.100.{failures}", at) == "invalid"
        at += throttle.account_backoff(failures)  # the earliest moment the next guess is checked
    assert throttle.account_backoff(12) == throttle.ACCOUNT_MAX_BACKOFF
    assert attempt(EMAIL, PASSWORD, "203.0.113.1", at - dt.timedelta(seconds=1)) == "throttled 1"
    assert attempt(EMAIL, PASSWORD, "203.0.113.1", at) == "ok"
    assert len(_actions(session, throttle.LOCKED)) == 1


def test_unknown_emails_back_off_exactly_like_real_ones(session: Session, rep: Rep, attempt: Attempt) -> None:
    answers = {}
    for email in (EMAIL, NOBODY):
        seen = [attempt(email, "wrong", f"198.51.100.{i}", T0 + dt.timedelta(seconds=i)) for i in range(5)]
        seen.append(attempt(email, "wrong", "203.0.113.9", T0 + dt.timedelta(seconds=5)))
        answers[email] = seen
    assert answers[EMAIL] == answers[NOBODY] == ["invalid"] * 5 + ["throttled 59"]
    # The unknown email's lockout is audited without the email (nor any password).
    locked = [event for event in _actions(session, throttle.LOCKED) if event[1] == "unknown"]
    assert locked == [(throttle.LOCKED, "unknown", {"ip": "198.51.100.4", "failures": 5, "wait_seconds": 60})]


def test_old_failures_stop_counting_against_the_account(session: Session, rep: Rep, attempt: Attempt) -> None:
    for i in range(4):
        assert attempt(EMAIL, "wrong", f"198.51.100.{i}", T0) == "invalid"
    later = T0 + throttle.ACCOUNT_FAILURE_WINDOW + dt.timedelta(seconds=1)
    # Four old failures and one new one: not five within the window, so no back-off...
    assert attempt(EMAIL, "wrong", "198.51.100.9", later) == "invalid"
    assert attempt(EMAIL, PASSWORD, "198.51.100.9", later) == "ok"
    # ...and failures past the retention are swept from the store.
    assert throttle.FAILURE_RETENTION >= throttle.ACCOUNT_FAILURE_WINDOW
    remaining = session.scalar(select(func.count()).select_from(RepSignInFailure))
    assert remaining == 0
    assert _actions(session, throttle.LOCKED, throttle.UNLOCKED) == []


def test_the_address_limits_still_hold(session: Session, rep: Rep, attempt: Attempt) -> None:
    # Per email and address: the fifth failure from one address stops that address for the window.
    for i in range(rep_accounts.MAX_FAILURES_PER_EMAIL_AND_IP):
        assert attempt(EMAIL, "wrong", "192.0.2.1", T0 + dt.timedelta(seconds=i)) == "invalid"
    assert attempt(EMAIL, PASSWORD, "192.0.2.1", T0 + dt.timedelta(minutes=2)) == "throttled 900"
    # Per address: many emails from one address, one failure each (no account backs off).
    for i in range(rep_accounts.MAX_FAILURES_PER_IP):
        throttle.record_failure(session, f"spray{i}@throttle.example", "192.0.2.2", T0, None, None)
    assert rep_accounts.is_throttled(session, EMAIL, "192.0.2.2", T0 + dt.timedelta(minutes=1))
    refused = throttle.check(session, EMAIL, "192.0.2.2", T0 + dt.timedelta(minutes=1))
    assert refused is not None and refused.reason == "address"
    assert not rep_accounts.is_throttled(
        session, EMAIL, "192.0.2.2", T0 + rep_accounts.FAILURE_WINDOW + dt.timedelta(seconds=1)
    )
