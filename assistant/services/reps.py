"""Rep accounts: argon2 passwords, console sessions, and sign-in throttling.

A session cookie carries a random token; the store keeps only its sha256 (the
session id), so a copy of the database cannot be replayed as a signed-in rep.
Each session has its own CSRF token, required on every state-changing request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from assistant.logs import get_logger
from assistant.screen.control_chars import strip_control_chars
from assistant.services import audit
from assistant.services import sign_in_throttle as throttle
from assistant.services.sign_in_throttle import (  # noqa: F401 - the limits, re-exported
    ACCOUNT_FREE_FAILURES,
    FAILURE_WINDOW,
    MAX_FAILURES_PER_EMAIL_AND_IP,
    MAX_FAILURES_PER_IP,
)
from assistant.store.models import Rep, RepRole, RepSession, utcnow

log = get_logger("services.reps")

SESSION_COOKIE = "frontdesk_console"
SESSION_MAX_AGE = dt.timedelta(hours=12)  # signed out after this, however active
SESSION_IDLE = dt.timedelta(hours=2)  # ...or after this long without a request
_TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often

MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Verified against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class SignInError(Exception):
    """Why a sign-in was refused: `invalid`, `throttled` or `demo_disabled`.

    `retry_after_seconds` is set when throttled: how long until the next attempt is checked.
    """

    def __init__(self, code: str, message: str, retry_after_seconds: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after_seconds = retry_after_seconds


class AccountError(ValueError):
    """An account change that is not allowed (shown to the admin)."""


@dataclass(frozen=True)
class SignedIn:
    rep: Rep
    token: str  # goes into the cookie; never stored
    record: RepSession


def normalize_email(email: str) -> str:
    # Control characters are never part of an address, and PostgreSQL refuses NUL in text.
    return strip_control_chars(email).strip().lower()


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")


def create_rep(
    session: Session,
    *,
    practice_id: int,
    email: str,
    display_name: str,
    password: str,
    role: RepRole = RepRole.REP,
    is_demo: bool = False,
) -> Rep:
    email = normalize_email(email)
    if "@" not in email:
        raise AccountError("that is not an email address")
    if session.scalars(select(Rep.id).where(Rep.email == email)).first() is not None:
        raise AccountError("a rep with that email already exists")
    rep = Rep(
        practice_id=practice_id,
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=role,
        active=True,
        is_demo=is_demo,
        created_at=utcnow(),
    )
    session.add(rep)
    session.flush()
    return rep


def is_throttled(session: Session, email: str, ip: str, now: dt.datetime | None = None) -> bool:
    return throttle.check(session, normalize_email(email), ip, now or utcnow()) is not None


def sign_in(
    session: Session,
    email: str,
    password: str,
    *,
    ip: str,
    production: bool,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> SignedIn:
    """Check the password and open a session; raises SignInError.

    Failures are written in the caller's transaction: the caller must commit
    them even though it answers with an error.
    """
    now = now or utcnow()
    email = normalize_email(email)
    # Old failures are only kept as long as they count; dead sessions are swept here too.
    throttle.sweep(session, now)
    session.execute(delete(RepSession).where(RepSession.expires_at < now))
    # Checked before the password, so during a back-off even the right password is refused.
    refused = throttle.check(session, email, ip, now)
    if refused is not None:
        log.warning("rep_sign_in_throttled", ip=ip, reason=refused.reason)
        seconds = refused.retry_after_seconds
        raise SignInError(
            "throttled", f"too many failed sign-ins; wait {throttle.describe_wait(seconds)} and try again", seconds
        )
    rep = session.scalars(select(Rep).where(Rep.email == email)).first()
    try:
        _hasher.verify(rep.password_hash if rep else _DUMMY_HASH, password)
        password_ok = rep is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        password_ok = False
    if not password_ok or rep is None or not rep.active:
        throttle.record_failure(session, email, ip, now, rep, request_id)
        raise SignInError("invalid", "wrong email or password")
    if rep.is_demo and production:
        audit.record(
            session,
            actor=f"rep:{rep.id}",
            action="rep_sign_in_refused_demo",
            subject_type="rep",
            subject_id=rep.id,
            request_id=request_id,
            at=now,
        )
        raise SignInError("demo_disabled", "demo accounts cannot sign in in production")
    if _hasher.check_needs_rehash(rep.password_hash):
        rep.password_hash = hash_password(password)
    throttle.record_success(session, email, ip, now, rep, request_id)
    token = secrets.token_urlsafe(32)
    record = RepSession(
        id=token_id(token),
        rep_id=rep.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_MAX_AGE,
        last_seen_at=now,
    )
    session.add(record)
    audit.record(
        session,
        actor=f"rep:{rep.id}",
        action="rep_signed_in",
        subject_type="rep",
        subject_id=rep.id,
        details={"ip": ip},
        request_id=request_id,
        at=now,
    )
    session.flush()
    return SignedIn(rep, token, record)


def session_for_token(session: Session, token: str | None, now: dt.datetime | None = None) -> RepSession | None:
    """The live session for a cookie token (its rep loaded), or None."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    record = session.scalars(
        select(RepSession).options(joinedload(RepSession.rep)).where(RepSession.id == token_id(token))
    ).first()
    if record is None:
        return None
    if record.expires_at <= now or now - record.last_seen_at > SESSION_IDLE or not record.rep.active:
        session.delete(record)
        return None
    if now - record.last_seen_at >= _TOUCH_EVERY:
        record.last_seen_at = now
    return record


def sign_out(session: Session, token: str | None, request_id: str | None = None) -> None:
    if not token:
        return
    record = session.get(RepSession, token_id(token))
    if record is not None:
        audit.record(
            session,
            actor=f"rep:{record.rep_id}",
            action="rep_signed_out",
            subject_type="rep",
            subject_id=record.rep_id,
            request_id=request_id,
        )
        session.delete(record)


def revoke_sessions(session: Session, rep_id: int) -> None:
    session.execute(delete(RepSession).where(RepSession.rep_id == rep_id))
