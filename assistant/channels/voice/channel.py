"""The phone channel's moving part: a caller's turn answered within the latency budget.

Twilio gives a voice webhook 15 s; a caller hangs up long before.  Each turn runs in the
background (in order per call) and the webhook waits for it at most
`voice_reply_budget_seconds`; if the bot is slower, the caller hears a short filler
and Twilio comes back (`<Redirect>`) for the reply, which by then is queued for the call
(services/calls.take_unspoken).  A turn that has not finished after MAX_WAITS
redirects gives up on the bot: the caller is offered a person or a message.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future

from assistant.config import Settings
from assistant.conversation import lease
from assistant.conversation.pipeline import Pipeline
from assistant.conversation.turn import TurnResult
from assistant.conversation.workers import KeyedWorkers
from assistant.logs import get_logger
from assistant.store.engine import session_scope
from assistant.store.models import utcnow

log = get_logger("voice.channel")

MAX_WAITS = 5  # fillers before the bot is given up on (about 7 s with the default budget)


class VoiceChannel:
    def __init__(self, settings: Settings, pipeline: Pipeline) -> None:
        self._database_url = settings.database_url
        self._pipeline = pipeline
        self.budget_seconds = settings.voice_reply_budget_seconds
        self.workers = KeyedWorkers(settings.voice_workers, name="voice-turns")
        self._turns: dict[int, Future[TurnResult | None]] = {}
        self._lock = threading.Lock()

    def stop(self) -> None:
        self.workers.shutdown()

    def start_turn(self, conversation_id: str, message_id: int, *, leased: bool = False) -> Future[TurnResult | None]:
        """Answer the caller's message in the background (once, however often asked)."""
        with self._lock:
            running = self._turns.get(message_id)
            if running is not None:
                return running
            future: Future[TurnResult | None] = Future()
            self._turns[message_id] = future
        owner = self._pipeline.owner
        if not leased and not self._claim(message_id, owner):
            # Answered already, or another process holds it: its replies are queued for the call.
            with self._lock:
                self._turns.pop(message_id, None)  # nothing runs: a later request may claim again
            future.set_result(None)
            return future

        def job() -> None:
            try:
                future.set_result(self._pipeline.process(message_id))
            except Exception as error:
                with session_scope(self._database_url) as session:
                    lease.release(session, message_id, owner=owner)
                future.set_exception(error)
                raise
            finally:
                with self._lock:
                    self._turns.pop(message_id, None)

        self.workers.submit(conversation_id, job)
        return future

    def dispatch(self, conversation_id: str, message_id: int) -> None:
        """Recovery's hand-over: the message is already leased to this process."""
        self.start_turn(conversation_id, message_id, leased=True)

    def _claim(self, message_id: int, owner: str) -> bool:
        with session_scope(self._database_url) as session:
            return lease.claim(session, message_id, owner=owner, now=utcnow())

    async def wait(self, future: Future[TurnResult | None]) -> bool:
        """True if the turn finished within the budget (successfully or not)."""
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.budget_seconds)
        except TimeoutError:
            return False
        except Exception:
            log.exception("voice_turn_failed")
        return True
