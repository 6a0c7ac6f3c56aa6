"""The SMS channel's moving parts in one object the app owns: the inbound workers and
the outbox sender, started and stopped with the gateway.  What happens to a text is
decided by the conversation pipeline (SMS hooks: sms/adapter.py); unanswered texts
after a restart are picked up by conversation/recovery.py."""

from __future__ import annotations

import time

from assistant.channels.sms.outbox import Outbox
from assistant.channels.sms.twilio_api import TwilioSender
from assistant.config import Settings
from assistant.conversation import lease
from assistant.conversation.pipeline import Pipeline
from assistant.conversation.workers import KeyedWorkers
from assistant.logs import get_logger
from assistant.store.engine import session_scope
from assistant.store.models import utcnow

log = get_logger("sms.channel")


class SmsChannel:
    def __init__(self, settings: Settings, pipeline: Pipeline) -> None:
        self._database_url = settings.database_url
        self._pipeline = pipeline
        self.outbox = Outbox(TwilioSender(settings), settings.database_url)
        self.workers = KeyedWorkers(settings.sms_workers, name="sms-inbound")

    def start(self) -> None:
        self.outbox.start()

    def stop(self) -> None:
        self.workers.shutdown()
        self.outbox.stop()

    def enqueue(self, conversation_id: str, message_id: int, *, leased: bool = False) -> bool:
        """Answer the text in the background, under this process's lease (taken here unless
        recovery already took it: `leased`); False if another process holds it or it was
        answered already."""
        owner = self._pipeline.owner
        if not leased:
            with session_scope(self._database_url) as session:
                if not lease.claim(session, message_id, owner=owner, now=utcnow()):
                    return False

        def job() -> None:
            try:
                try:
                    self._pipeline.process(message_id)
                except Exception:
                    # One more try after a moment (a database hiccup); if it fails again the
                    # lease is given back and the next recovery pass answers the message.
                    log.exception("inbound_failed_retrying", message_id=message_id)
                    time.sleep(1)
                    self._pipeline.process(message_id)
            except Exception:
                with session_scope(self._database_url) as session:
                    lease.release(session, message_id, owner=owner)
                raise
            finally:
                self.outbox.nudge()

        self.workers.submit(conversation_id, job)
        return True

    def dispatch(self, conversation_id: str, message_id: int) -> None:
        """Recovery's hand-over: the message is already leased to this process."""
        self.enqueue(conversation_id, message_id, leased=True)
