"""Checking a code: every failure reads the same, counts against the conversation and the
client its codes went to, and after too many a person takes over."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_to_client
from assistant.logs import get_logger
from assistant.services import audit
from assistant.services import identity_guard as guard
from assistant.services.conversations import open_handoff, practice_of, touch, verify_client
from assistant.services.promises import handoff_reply
from assistant.services.verification_codes.hashing import dummy_hash, matches
from assistant.services.verification_codes.history import (
    FAILURE_EVENT,
    MAX_CODE_ATTEMPTS,
    attempts_so_far,
    last_code_client,
)
from assistant.store.models import Author, Client, Conversation, HandoffReason, VerificationCode, utcnow

log = get_logger("verification_codes")


class CodeOutcome(str, enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong_code"  # wrong, expired or never sent: deliberately indistinguishable
    LOCKED = "locked"  # too many wrong codes: a person takes over


@dataclass(frozen=True)
class CodeCheck:
    outcome: CodeOutcome
    attempts_left: int


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
    used = attempts_so_far(session, conversation)
    if conversation.client_id is not None:
        return CodeCheck(CodeOutcome.VERIFIED, max(MAX_CODE_ATTEMPTS - used, 0))
    if used >= MAX_CODE_ATTEMPTS:
        return CodeCheck(CodeOutcome.LOCKED, 0)
    touch(conversation, now)
    # Whom this chat's codes went to; their attempts are serialized before the code row is
    # locked (the same order as request_code), so concurrent requests cannot deadlock.
    client_id = last_code_client(session, conversation)
    if client_id is not None:
        guard.serialize_attempts(session, client_id)
    active = session.scalars(
        select(VerificationCode)
        .where(VerificationCode.conversation_id == conversation.id, VerificationCode.used_at.is_(None))
        .order_by(VerificationCode.id.desc())
        .with_for_update()
    ).first()
    client_locked = client_id is not None and guard.code_locked(session, client_id, now)
    matched = active is not None and active.expires_at > now and matches(active.code_hash, code)
    if active is not None and matched and not client_locked:
        active.used_at = now
        client = session.get(Client, active.client_id)
        assert client is not None
        verify_client(session, conversation, client, method="sms_code", request_id=request_id)
        session.flush()
        return CodeCheck(CodeOutcome.VERIFIED, MAX_CODE_ATTEMPTS - used)
    if active is None:
        matches(dummy_hash(), code)  # same work whether or not a code was ever sent
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
