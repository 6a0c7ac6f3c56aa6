"""The SMS channel's moving parts in one object the app owns: the inbound workers,
the outbox sender and the rate limiter, started and stopped with the gateway."""

from __future__ import annotations

import datetime as dt
import threading
import time

from sqlalchemy import select

from assistant.channels.sms.inbound import InboundHandler
from assistant.channels.sms.outbox import Outbox
from assistant.channels.sms.ratelimit import RateLimiter
from assistant.channels.sms.twilio_api import TwilioSender
from assistant.channels.sms.workers import KeyedWorkers
from assistant.config import Settings
from assistant.dialogue.turns import TurnProcessor
from assistant.logs import get_logger
from assistant.store.engine import session_scope
from assistant.store.models import Channel, Conversation, Direction, Message, MessageStatus, utcnow

log = get_logger("sms.channel")
SWEEP_SECONDS = 60


class SmsChannel:
    def __init__(self, settings: Settings, turns: TurnProcessor) -> None:
        self._database_url = settings.database_url
        self.outbox = Outbox(TwilioSender(settings), settings.database_url)
        self.handler = InboundHandler(turns, RateLimiter(settings.sms_rate_limit_per_minute,
                                                         settings.redis_url), settings.database_url)
        self.workers = KeyedWorkers(settings.sms_workers)
        self._turns = turns
        self._stopping = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep, name="inbound-sweeper", daemon=True)

    def start(self) -> None:
        self.outbox.start()
        self.recover()
        self._sweeper.start()

    def stop(self) -> None:
        self._stopping.set()
        self.workers.shutdown()
        self.outbox.stop()

    def _sweep(self) -> None:
        """Every minute, pick up anything accepted over a minute ago and still unanswered
        (a job that failed twice, say). Jobs for one conversation run in order, so a
        message already being handled is simply seen as done when its turn comes again."""
        while not self._stopping.wait(SWEEP_SECONDS):
            try:
                self.recover(older_than=dt.timedelta(seconds=SWEEP_SECONDS))
            except Exception:
                log.exception("sweep_failed")

    def enqueue(self, conversation_id: str, message_id: int) -> None:
        def job() -> None:
            try:
                self.handler.handle(message_id)
            except Exception:
                # One more try after a moment (a database hiccup); if it fails again the
                # message stays 'received' and is handled by the next recovery pass.
                log.exception("inbound_failed_retrying", message_id=message_id)
                time.sleep(1)
                self.handler.handle(message_id)
            finally:
                self.outbox.nudge()

        self.workers.submit(conversation_id, job)

    def recover(self, older_than: dt.timedelta | None = None) -> int:
        """Messages (of any channel) accepted before a crash or restart but never handled:
        handle them now, in order, so no accepted message goes unanswered."""
        with session_scope(self._database_url) as session:
            pending = session.execute(
                select(Message.id, Message.conversation_id, Conversation.channel)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(Message.direction == Direction.INBOUND, Message.status == MessageStatus.RECEIVED,
                       Message.created_at <= utcnow() - (older_than or dt.timedelta(0)))
                .order_by(Message.id)).all()
        for message_id, conversation_id, channel in pending:
            if channel is Channel.SMS:
                self.enqueue(conversation_id, message_id)
            else:  # web chat: the reply waits in the transcript for the widget
                self.workers.submit(conversation_id, lambda mid=message_id: self._turns.process(mid))
        if pending:
            log.info("recovered_unanswered_messages", count=len(pending))
        return len(pending)
