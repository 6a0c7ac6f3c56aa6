"""One-time codes texted to the mobile on file: the stronger way to verify a web chat.

A code is six digits from `secrets`, kept only as an argon2 hash, valid for ten
minutes and bound to one conversation.  Wrong guesses are counted across every
code of the conversation (asking for a new code does not reset them); after five
a person takes over.  Whether the name and date of birth matched is never told
to the requester: the same answer comes back either way, in about the same time.

Per client, across conversations, identity_guard caps how many codes are texted
and how many wrong codes are tried before that client's codes stop working.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_sms, send_to_client
from assistant.logs import get_logger
from assistant.services import audit
from assistant.services import identity_guard as guard
from assistant.services.conversations import open_handoff, practice_of, touch, verify_client
from assistant.services.promises import handoff_reply
from assistant.store.models import (
    AuditEvent,
    Author,
    Client,
    Conversation,
    HandoffReason,
    SmsOptOut,
    VerificationCode,
    utcnow,
)
from assistant.wording.catalog import text

log = get_logger("verification_codes")

CODE_TTL = dt.timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5  # wrong codes per conversation, then a person takes over
MAX_CODE_REQUESTS = 3  # texts a conversation may trigger (no SMS bombing from a web page)
REQUEST_EVENT = "verification_code_requested"
FAILURE_EVENT = "verification_code_failed"

CODE_SENT_NOTICE = text("identity.code_sent_notice")

# OWASP's argon2id minimum: fast enough per request, costly to brute-force 10^6 codes offline.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(new_code())


class TooManyCodeRequests(RuntimeError):
    pass


class CodeOutcome(str, enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong_code"  # wrong, expired or never sent: deliberately indistinguishable
    LOCKED = "locked"  # too many wrong codes: a person takes over


@dataclass(frozen=True)
class CodeCheck:
    outcome: CodeOutcome
    attempts_left: int


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def code_text(practice_name: str, code: str) -> str:
    return text("identity.code_text", practice=practice_name, code=code)


def _opted_out(session: Session, client: Client) -> bool:
    if client.sms_opted_out_at is not None or not client.mobile_e164:
        return True
    return session.get(SmsOptOut, (client.practice_id, client.mobile_e164)) is not None


def _requests_so_far(session: Session, conversation: Conversation) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == REQUEST_EVENT,
                AuditEvent.subject_type == "conversation",
                AuditEvent.subject_id == conversation.id,
            )
        )
        or 0
    )


def _attempts_so_far(session: Session, conversation: Conversation) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == FAILURE_EVENT,
                AuditEvent.subject_type == "conversation",
                AuditEvent.subject_id == conversation.id,
            )
        )
        or 0
    )


def _last_code_client(session: Session, conversation: Conversation) -> int | None:
    """Whom the conversation's codes were texted to (codes exist only for matched details)."""
    return session.scalar(
        select(VerificationCode.client_id)
        .where(VerificationCode.conversation_id == conversation.id)
        .order_by(VerificationCode.id.desc())
        .limit(1)
    )


def request_code(
    session: Session,
    conversation: Conversation,
    full_name: str,
    date_of_birth: dt.date,
    *,
    request_id: str | None = None,
    source: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Text a code if name and date of birth match a client we may text; say nothing either way.

    "May text" includes the per-client caps: over them nothing is sent, and the
    requester hears the same as ever.
    """
    now = now or utcnow()
    if _requests_so_far(session, conversation) >= MAX_CODE_REQUESTS:
        raise TooManyCodeRequests(conversation.id)
    practice = practice_of(session, conversation)
    attempt = guard.Attempt(conversation.id, "code_request", source, request_id)
    client = guard.client_for_code_request(session, practice.id, full_name, date_of_birth, attempt, now=now)
    sent = (
        client is not None
        and not _opted_out(session, client)
        and guard.may_text_code(session, client, attempt, now=now)
    )
    if client is not None and sent:
        assert client.mobile_e164 is not None
        for older in session.scalars(
            select(VerificationCode).where(
                VerificationCode.conversation_id == conversation.id, VerificationCode.used_at.is_(None)
            )
        ):
            older.used_at = now  # superseded: only the newest code works
        code = new_code()
        session.add(
            VerificationCode(
                conversation_id=conversation.id,
                client_id=client.id,
                code_hash=_hasher.hash(code),
                expires_at=now + CODE_TTL,
                created_at=now,
            )
        )
        send_sms(
            session, practice.id, client.mobile_e164, code_text(practice.name, code), request_id=request_id, secret=True
        )
    else:
        _hasher.hash(new_code())  # the same work on both paths: timing tells nothing either
    audit.record(
        session,
        actor="system",
        action=REQUEST_EVENT,
        subject_type="conversation",
        subject_id=conversation.id,
        details={"sent": sent},
        request_id=request_id,
        at=now,
    )
    touch(conversation, now)
    session.flush()
    log.info("verification_code_requested", conversation=conversation.id)


def check_code(
    session: Session,
    conversation: Conversation,
    code: str,
    *,
    request_id: str | None = None,
    source: str | None = None,
    now: dt.datetime | None = None,
) -> CodeCheck:
    """Check a code against the conversation's newest one.

    Every failure counts and reads the same ("wrong_code"), whether the code was
    wrong, expired or never sent: telling those apart would tell a stranger whether
    the name and date of birth they tried belong to a client.  So does a right code
    while the client's codes are locked (too many wrong codes across chats); each
    failure also counts against the client the conversation's codes went to.
    """
    now = now or utcnow()
    used = _attempts_so_far(session, conversation)
    if conversation.client_id is not None:
        return CodeCheck(CodeOutcome.VERIFIED, max(MAX_CODE_ATTEMPTS - used, 0))
    if used >= MAX_CODE_ATTEMPTS:
        return CodeCheck(CodeOutcome.LOCKED, 0)
    touch(conversation, now)
    # Whom this chat's codes went to; their attempts are serialized before the code row is
    # locked (the same order as request_code), so concurrent requests cannot deadlock.
    client_id = _last_code_client(session, conversation)
    if client_id is not None:
        guard.serialize_attempts(session, client_id)
    active = session.scalars(
        select(VerificationCode)
        .where(VerificationCode.conversation_id == conversation.id, VerificationCode.used_at.is_(None))
        .order_by(VerificationCode.id.desc())
        .with_for_update()
    ).first()
    client_locked = client_id is not None and guard.code_locked(session, client_id, now)
    matched = active is not None and active.expires_at > now and _matches(active.code_hash, code)
    if active is not None and matched and not client_locked:
        active.used_at = now
        client = session.get(Client, active.client_id)
        assert client is not None
        verify_client(session, conversation, client, method="sms_code", request_id=request_id)
        session.flush()
        return CodeCheck(CodeOutcome.VERIFIED, MAX_CODE_ATTEMPTS - used)
    if active is None:
        _matches(_dummy_hash(), code)  # same work whether or not a code was ever sent
    reason = (
        "none"
        if active is None
        else "expired"
        if active.expires_at <= now
        else "client_locked"
        if client_locked
        else "wrong"
    )
    audit.record(
        session,
        actor="system",
        action=FAILURE_EVENT,
        subject_type="conversation",
        subject_id=conversation.id,
        details={"reason": reason},
        request_id=request_id,
        at=now,
    )
    if client_id is not None:
        guard.record_wrong_code(
            session, client_id, guard.Attempt(conversation.id, "sms_code", source, request_id), now=now
        )
    if active is not None:
        active.attempts += 1
    used += 1
    log.info("verification_code_failed", conversation=conversation.id, reason=reason, attempts=used)
    if used < MAX_CODE_ATTEMPTS:
        session.flush()
        return CodeCheck(CodeOutcome.WRONG, MAX_CODE_ATTEMPTS - used)
    for code_row in session.scalars(
        select(VerificationCode).where(
            VerificationCode.conversation_id == conversation.id, VerificationCode.used_at.is_(None)
        )
    ):
        code_row.used_at = now
    open_handoff(
        session,
        conversation,
        HandoffReason.VERIFICATION_FAILED,
        context={"method": "sms_code", "attempts": used},
        request_id=request_id,
    )
    # The same honest promise as every hand-off: when a person will answer.
    send_to_client(
        session,
        conversation,
        handoff_reply(practice_of(session, conversation), "handoff.code_locked", now),
        author=Author.SYSTEM,
        request_id=request_id,
    )
    log.info("verification_code_locked", conversation=conversation.id)
    return CodeCheck(CodeOutcome.LOCKED, 0)


def _matches(code_hash: str, code: str) -> bool:
    try:
        return _hasher.verify(code_hash, code)
    except (VerificationError, InvalidHashError):
        return False
