"""Texting a code: only to a client whose name and date of birth match and who may be texted,
with the same answer and about the same work either way."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_sms
from assistant.logs import get_logger
from assistant.services import audit
from assistant.services import identity_guard as guard
from assistant.services.conversations import practice_of, touch
from assistant.services.sms_opt_outs import is_opted_out
from assistant.services.verification_codes.hashing import hash_code, new_code
from assistant.services.verification_codes.history import MAX_CODE_REQUESTS, REQUEST_EVENT, requests_so_far
from assistant.store.models import Client, Conversation, VerificationCode, utcnow
from assistant.wording.catalog import text

log = get_logger("verification_codes")

CODE_TTL = dt.timedelta(minutes=10)

CODE_SENT_NOTICE = text("identity.code_sent_notice")


class TooManyCodeRequests(RuntimeError):
    pass


def code_text(practice_name: str, code: str) -> str:
    return text("identity.code_text", practice=practice_name, code=code)


def _opted_out(session: Session, client: Client) -> bool:
    if client.sms_opted_out_at is not None or not client.mobile_e164:
        return True
    return is_opted_out(session, client.practice_id, client.mobile_e164)


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
    if requests_so_far(session, conversation) >= MAX_CODE_REQUESTS:
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
                code_hash=hash_code(code),
                expires_at=now + CODE_TTL,
                created_at=now,
            )
        )
        send_sms(
            session, practice.id, client.mobile_e164, code_text(practice.name, code), request_id=request_id, secret=True
        )
    else:
        hash_code(new_code())  # the same work on both paths: timing tells nothing either
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
