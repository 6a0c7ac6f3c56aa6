"""The SMS outbox, driven by hand: queue a text to a demo client and run one pass."""

from __future__ import annotations

from sqlalchemy import select

from assistant.channels.sms.outbox import Outbox
from assistant.channels.sms.twilio_api import TwilioSender
from assistant.config import Settings
from assistant.conversation.outbound import send_sms
from assistant.store.engine import session_scope
from assistant.store.models import Message, Practice

CLIENT = "+15555550123"  # Jordan Lee's mobile in the demo data (each test has its own database)


def queue_text(database_url: str, body: str = "Your session is confirmed.") -> int:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).first()
        return send_sms(session, practice.id, CLIENT, body).id


def outbox_for(settings: Settings) -> Outbox:
    return Outbox(TwilioSender(settings), settings.database_url)


def message(database_url: str, message_id: int) -> Message:
    with session_scope(database_url) as session:
        return session.get(Message, message_id)
