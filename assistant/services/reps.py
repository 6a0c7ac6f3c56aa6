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
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from assistant.logs import get_logger
from assistant.services import audit
from assistant.store.models import Rep, RepRole, RepSession, RepSignInFailure, utcnow

log = get_logger("services.reps")

SESSION_COOKIE = "frontdesk_console"
SESSION_MAX_AGE = dt.timedelta(hours=12)   # signed out after this, however active
SESSION_IDLE = dt.timedelta(hours=2)       # ...or after this long without a request
_TOUCH_EVERY = dt.timedelta(minutes=1)     # last_seen_at is written at most this often

FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL_AND_IP = 5
MAX_FAILURES_PER_IP = 30                   # many emails tried from one address
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Verified against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class SignInError(Exception):
    """Why a sign-in was refused: `invalid`, `throttled` or `demo_disabled`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class AccountError(ValueError):
    """An account change that is not allowed (shown to the admin)."""


@dataclass(frozen=True)
class SignedIn:
    rep: Rep
    token: str  # goes into the cookie; never stored
    record: RepSession


def normalize_email(email: str) -> str:
    return email.strip().lower()


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")


def create_rep(session: Session, *, practice_id: int, email: str, display_name: str, password: str,
               role: RepRole = RepRole.REP, is_demo: bool = False) -> Rep:
    email = normalize_email(email)
    if "@" not in email:
        raise AccountError("that is not an email address")
    if session.scalars(select(Rep.id).where(Rep.email == email)).first() is not None:
        raise AccountError("a rep with that email already exists")
    rep = Rep(practice_id=practice_id, email=email, display_name=display_name.strip(),
              password_hash=hash_password(password), role=role, active=True, is_demo=is_demo,
              created_at=utcnow())
    session.add(rep)
    session.flush()
    return rep


def _recent_failures(session: Session, now: dt.datetime, **match: str) -> int:
    query = select(func.count()).select_from(RepSignInFailure).where(
        RepSignInFailure.at > now - FAILURE_WINDOW)
    for column, value in match.items():
        query = query.where(getattr(RepSignInFailure, column) == value)
    return session.scalar(query) or 0


def is_throttled(session: Session, email: str, ip: str, now: dt.datetime | None = None) -> bool:
    now = now or utcnow()
    return (_recent_failures(session, now, email=normalize_email(email), ip=ip)
            >= MAX_FAILURES_PER_EMAIL_AND_IP
            or _recent_failures(session, now, ip=ip) >= MAX_FAILURES_PER_IP)


def _fail(session: Session, email: str, ip: str, now: dt.datetime, rep: Rep | None,
          request_id: str | None) -> SignInError:
    session.add(RepSignInFailure(email=email[:254], ip=ip[:64], at=now))
    audit.record(session, actor=f"rep:{rep.id}" if rep else "anonymous", action="rep_sign_in_failed",
                 subject_type="rep", subject_id=rep.id if rep else "unknown",
                 details={"ip": ip}, request_id=request_id, at=now)
    return SignInError("invalid", "wrong email or password")


def sign_in(session: Session, email: str, password: str, *, ip: str, production: bool,
            request_id: str | None = None, now: dt.datetime | None = None) -> SignedIn:
    """Check the password and open a session; raises SignInError.

    Failures are written in the caller's transaction: the caller must commit
    them even though it answers with an error.
    """
    now = now or utcnow()
    email = normalize_email(email)
    # Old failures are only kept as long as they count; dead sessions are swept here too.
    session.execute(delete(RepSignInFailure).where(RepSignInFailure.at < now - dt.timedelta(days=1)))
    session.execute(delete(RepSession).where(RepSession.expires_at < now))
    if is_throttled(session, email, ip, now):
        log.warning("rep_sign_in_throttled", ip=ip)
        raise SignInError("throttled", "too many failed sign-ins; wait 15 minutes and try again")
    rep = session.scalars(select(Rep).where(Rep.email == email)).first()
    try:
        _hasher.verify(rep.password_hash if rep else _DUMMY_HASH, password)
        password_ok = rep is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        password_ok = False
    if not password_ok or rep is None or not rep.active:
        raise _fail(session, email, ip, now, rep, request_id)
    if rep.is_demo and production:
        audit.record(session, actor=f"rep:{rep.id}", action="rep_sign_in_refused_demo",
                     subject_type="rep", subject_id=rep.id, request_id=request_id, at=now)
        raise SignInError("demo_disabled", "demo accounts cannot sign in in production")
    if _hasher.check_needs_rehash(rep.password_hash):
        rep.password_hash = hash_password(password)
    session.execute(delete(RepSignInFailure).where(RepSignInFailure.email == email,
                                                   RepSignInFailure.ip == ip))
    token = secrets.token_urlsafe(32)
    record = RepSession(id=token_id(token), rep_id=rep.id, csrf_token=secrets.token_urlsafe(32),
                        created_at=now, expires_at=now + SESSION_MAX_AGE, last_seen_at=now)
    session.add(record)
    audit.record(session, actor=f"rep:{rep.id}", action="rep_signed_in", subject_type="rep",
                 subject_id=rep.id, details={"ip": ip}, request_id=request_id, at=now)
    session.flush()
    return SignedIn(rep, token, record)


def session_for_token(session: Session, token: str | None,
                      now: dt.datetime | None = None) -> RepSession | None:
    """The live session for a cookie token (its rep loaded), or None."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    record = session.scalars(select(RepSession).options(joinedload(RepSession.rep))
                             .where(RepSession.id == token_id(token))).first()
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
        audit.record(session, actor=f"rep:{record.rep_id}", action="rep_signed_out",
                     subject_type="rep", subject_id=record.rep_id, request_id=request_id)
        session.delete(record)


def revoke_sessions(session: Session, rep_id: int) -> None:
    session.execute(delete(RepSession).where(RepSession.rep_id == rep_id))
