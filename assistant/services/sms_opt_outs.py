"""Who must not be texted: a number's STOP (or Twilio's report of one) kept per practice.

One place asks and records it, for every path that texts (replies, closing texts, call-backs,
voicemail confirmations, codes, outreach) and the SMS channel that hears STOP and START."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.services import audit
from assistant.store.models import SmsOptOut, utcnow


def is_opted_out(session: Session, practice_id: int, phone: str | None) -> bool:
    """True when `phone` said STOP to this practice (and has not said START since)."""
    return phone is not None and session.get(SmsOptOut, (practice_id, phone)) is not None


def record_opt_out(session: Session, practice_id: int, phone: str, *, source: str, keyword: str | None) -> None:
    """Keep `phone`'s opt-out (once: a second STOP changes nothing)."""
    if session.get(SmsOptOut, (practice_id, phone)) is None:
        session.add(
            SmsOptOut(practice_id=practice_id, phone_e164=phone, source=source, keyword=keyword, opted_out_at=utcnow())
        )
        session.flush()


def record_opt_in(session: Session, practice_id: int, phone: str) -> bool:
    """Forget `phone`'s opt-out (its START); False when there was none to forget."""
    opt_out = session.get(SmsOptOut, (practice_id, phone))
    if opt_out is None:
        return False
    session.delete(opt_out)
    audit.record(session, actor="client", action="sms_opted_in", subject_type="phone", subject_id=phone[-4:])
    return True
