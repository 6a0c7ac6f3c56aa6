"""The web chat channel's background part: answering a recovered message.

A live chat message is answered inside its own request (routes/chat.py); one that was
accepted but never answered (the gateway restarted mid-turn) is answered here, in
order with the rest of its conversation, and the reply waits in the transcript for the
widget to read.
"""

from __future__ import annotations

from assistant.conversation.pipeline import Pipeline
from assistant.conversation.workers import KeyedWorkers

WEB_WORKERS = 2


class WebChatChannel:
    def __init__(self, pipeline: Pipeline, max_workers: int = WEB_WORKERS) -> None:
        self._pipeline = pipeline
        self.workers = KeyedWorkers(max_workers, name="web-inbound")

    def answer_later(self, conversation_id: str, message_id: int) -> None:
        """Answer the (leased) message after the conversation's earlier jobs."""
        self.workers.submit(conversation_id, lambda: self._answer(message_id))

    def _answer(self, message_id: int) -> None:
        self._pipeline.process(message_id)

    def stop(self) -> None:
        self.workers.shutdown()
