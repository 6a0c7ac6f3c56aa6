"""The SMS outbox: every text to a client waits here until Twilio has accepted it.

Due messages are leased (so two senders never send one twice), sent with the
official client, and then either handed over (Twilio's SID kept for status
callbacks), retried with exponential backoff (timeouts, 429, 5xx), or marked
failed and put in front of a rep (permanent errors such as 21610, opted out).

A lease also marks the attempt (`leased_by`, `lease_until`) until its outcome is known. A
marker still there when the message is due again means the last attempt may have reached
Twilio unrecorded (the process died mid-send, or Twilio's answer timed out): Twilio is asked
for that text first, and only sent it if it never arrived, so a crash does not text a client
twice.
"""

from __future__ import annotations

import datetime as dt
import random
import threading

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.channels.sms.twilio_api import OPTED_OUT, PermanentFailure, SendResult, TemporaryFailure, TwilioSender
from assistant.conversation.lease import new_owner
from assistant.logs import get_logger
from assistant.services.conversations import open_handoff
from assistant.services.sms_opt_outs import is_opted_out, record_opt_out
from assistant.store.engine import session_scope
from assistant.store.models import (
    Channel,
    Conversation,
    Direction,
    HandoffReason,
    Message,
    MessageStatus,
    utcnow,
)
from assistant.store.statements import affected_rows

log = get_logger("sms.outbox")

LEASE = dt.timedelta(seconds=60)
REDACTED_SECRET = "[one-time code sent; not stored]"
MAX_ATTEMPTS = 8
MAX_BACKOFF_SECONDS = 300
BATCH = 20

# Delivery states only move forward; a late "sent" never overwrites "delivered".
STATUS_RANK = {
    MessageStatus.QUEUED: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.UNDELIVERED: 3,
    MessageStatus.FAILED: 3,
}
TWILIO_STATUS = {
    "accepted": MessageStatus.QUEUED,
    "scheduled": MessageStatus.QUEUED,
    "queued": MessageStatus.QUEUED,
    "sending": MessageStatus.SENT,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
    "canceled": MessageStatus.FAILED,
}


def backoff(attempts: int) -> dt.timedelta:
    base = min(MAX_BACKOFF_SECONDS, 2**attempts)
    return dt.timedelta(seconds=base * random.uniform(0.8, 1.2))


def surface_failure(session: Session, conversation: Conversation, message: Message, code: str) -> None:
    """A text the client will not get: a person must know, and an opt-out must be kept."""
    reason = HandoffReason.DELIVERY_FAILED
    if code == OPTED_OUT and conversation.address:
        record_opt_out(session, conversation.practice_id, conversation.address, source="twilio", keyword=None)
        reason = HandoffReason.SMS_OPT_OUT
    open_handoff(session, conversation, reason, context={"message_id": message.id, "error_code": code})


class Outbox:
    def __init__(self, sender: TwilioSender, database_url: str | None = None, poll_seconds: float = 0.5) -> None:
        self._sender = sender
        self._database_url = database_url
        self._poll_seconds = poll_seconds
        self._owner = new_owner()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="sms-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=15)

    def nudge(self) -> None:
        """Something was queued: send now rather than at the next poll."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                sent = self.run_once()
            except Exception:
                log.exception("outbox_pass_failed")
                sent = 0
            if not sent:
                self._wake.wait(self._poll_seconds)
                self._wake.clear()

    def _due(self, now: dt.datetime) -> list[tuple[int, dt.datetime, dt.datetime | None]]:
        """(id, when due, when an attempt whose outcome is unknown began, or None)."""
        with session_scope(self._database_url) as session:
            rows = session.execute(
                select(Message.id, Message.next_attempt_at, Message.leased_by, Message.lease_until)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(
                    Message.direction == Direction.OUTBOUND,
                    Message.status == MessageStatus.QUEUED,
                    Message.external_id.is_(None),
                    Message.next_attempt_at <= now,
                    Conversation.channel == Channel.SMS,
                )
                .order_by(Message.next_attempt_at, Message.id)
                .limit(BATCH)
            ).all()
            return [
                (row.id, row.next_attempt_at, row.lease_until - LEASE if row.leased_by and row.lease_until else None)
                for row in rows
            ]

    def _lease(self, message_id: int, seen_at: dt.datetime, now: dt.datetime) -> bool:
        with session_scope(self._database_url) as session:
            won = affected_rows(
                session,
                update(Message)
                .where(
                    Message.id == message_id, Message.next_attempt_at == seen_at, Message.status == MessageStatus.QUEUED
                )
                .values(next_attempt_at=now + LEASE, leased_by=self._owner, lease_until=now + LEASE),
            )
            return won == 1

    def run_once(self, now: dt.datetime | None = None) -> int:
        """Send what is due; returns how many messages were attempted."""
        now = now or utcnow()
        attempted = 0
        for message_id, seen_at, uncertain_since in self._due(now):
            if self._lease(message_id, seen_at, now):
                self._send(message_id, uncertain_since)
                attempted += 1
        return attempted

    def _send(self, message_id: int, uncertain_since: dt.datetime | None = None) -> None:
        with session_scope(self._database_url) as session:
            message = session.get_one(Message, message_id)
            conversation = message.conversation
            practice = conversation.practice
            # The client's own copy when the text carries a secret; `text` is the masked one.
            body = message.client_text or message.text
            to, from_number = conversation.address, practice.phone_e164
            if is_opted_out(session, practice.id, to):
                message.status, message.error_code, message.next_attempt_at = (MessageStatus.FAILED, "opted_out", None)
                message.client_text = None  # it will not be delivered: keep no secret for it
                log.info("sms_not_sent_opted_out", message_id=message_id)
                return
            if to is None:  # an SMS conversation always has the client's number; never guess one
                message.status, message.error_code, message.next_attempt_at = (MessageStatus.FAILED, "no_address", None)
                message.client_text = None
                log.error("sms_not_sent_no_address", message_id=message_id)
                return
        try:
            result = None
            if uncertain_since is not None:
                result = self._accepted_already(to=to, body=body, from_number=from_number, since=uncertain_since)
            if result is None:
                result = self._sender.send(to=to, body=body, from_number=from_number)
            else:
                log.info("sms_found_accepted", message_id=message_id)  # not sent again
        except TemporaryFailure as failure:
            self._retry_later(message_id, failure.code)
        except PermanentFailure as failure:
            self._fail(message_id, failure.code)
        else:
            self._handed_over(message_id, result)

    def _accepted_already(
        self, *, to: str, body: str, from_number: str | None, since: dt.datetime
    ) -> SendResult | None:
        """Twilio's copy of this text from an attempt whose outcome was never recorded."""
        candidates = self._sender.accepted_like(to=to, body=body, from_number=from_number, since=since)
        if not candidates:
            return None
        with session_scope(self._database_url) as session:
            # The same words sent before on purpose (another message of ours) are not this one.
            known = set(
                session.scalars(select(Message.external_id).where(Message.external_id.in_([c.sid for c in candidates])))
            )
        return next((candidate for candidate in candidates if candidate.sid not in known), None)

    def _handed_over(self, message_id: int, result: SendResult) -> None:
        with session_scope(self._database_url) as session:
            message = session.get_one(Message, message_id)
            if message.redact_after_send and self._sender.live:
                # Delivered: the secret is kept nowhere now.  Demo mode keeps the client's
                # copy: nothing was sent, and `assistant outbox` (demo only) is the only
                # place a demo user can read the code or link.
                if message.client_text is not None:
                    message.client_text = None
                else:  # queued before secrets were masked at write time
                    message.text = REDACTED_SECRET
            message.external_id = result.sid
            message.attempts += 1
            message.next_attempt_at = None
            message.leased_by = message.lease_until = None  # the outcome is known
            message.status = TWILIO_STATUS.get(result.status, MessageStatus.QUEUED)
        log.info("sms_sent", message_id=message_id, status=result.status)

    def _retry_later(self, message_id: int, code: str) -> None:
        with session_scope(self._database_url) as session:
            message = session.get_one(Message, message_id)
            message.attempts += 1
            message.error_code = code
            if message.attempts >= MAX_ATTEMPTS:
                message.status, message.next_attempt_at = MessageStatus.FAILED, None
                message.client_text = None  # it will not be delivered: keep no secret for it
                surface_failure(session, message.conversation, message, code)
                log.error("sms_gave_up", message_id=message_id, code=code, attempts=message.attempts)
            else:
                message.next_attempt_at = utcnow() + backoff(message.attempts)
                log.warning("sms_retry_scheduled", message_id=message_id, code=code, attempts=message.attempts)

    def _fail(self, message_id: int, code: str) -> None:
        with session_scope(self._database_url) as session:
            message = session.get_one(Message, message_id)
            message.attempts += 1
            message.status, message.error_code, message.next_attempt_at = MessageStatus.FAILED, code, None
            message.leased_by = message.lease_until = None  # Twilio refused it: the outcome is known
            message.client_text = None  # it will not be delivered: keep no secret for it
            surface_failure(session, message.conversation, message, code)
        log.error("sms_failed", message_id=message_id, code=code)


def apply_status_callback(session: Session, sid: str, twilio_status: str, error_code: str | None) -> bool:
    """Record a delivery report; out-of-order callbacks never move a message backwards."""
    new = TWILIO_STATUS.get(twilio_status.lower())
    message = session.scalars(
        select(Message).where(Message.external_id == sid, Message.direction == Direction.OUTBOUND)
    ).first()
    if new is None or message is None:
        return False
    if STATUS_RANK.get(new, 0) <= STATUS_RANK.get(message.status, 0):
        return False
    message.status = new
    if error_code:
        message.error_code = error_code
    if new in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
        surface_failure(session, message.conversation, message, error_code or twilio_status)
    return True
