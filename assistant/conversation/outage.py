"""While the dialogue model (Rasa, or the action server behind it) is out, for a while.

A turn whose bot cannot be reached does not hand the client to a person at once: a short
outage (a replica restarting, the supervisor bringing a child back) is waited out.  The
message stays accepted and unanswered, its lease is given back, and:

    web chat  the client sees "one moment" (the turn's reply, shown by the widget as a
              pending state; not stored: the real answer follows in the transcript)
    SMS       nothing extra: the answer comes when the bot is back
    voice     never held: a caller on the line hears the trouble reply and is helped now

Recovery (recovery.py) retries held messages every few seconds once the bot is back,
oldest first and in order per conversation; a message still unanswered after the hold
(a minute by default) is handed to a person with the usual hand-off reply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from assistant.store.models import utcnow

HOLD_SECONDS = 60.0


def action_server_ready(url: str) -> bool:
    try:
        return httpx.get(f"{url.rstrip('/')}/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass(frozen=True)
class OutagePolicy:
    """How long a message may wait for the bot (0: hand off at once), and how to tell an
    action server that is out from a bot with nothing to say."""

    hold_seconds: float = 0.0
    actions_ready: Callable[[], bool] | None = None

    def may_hold(self, accepted_at: dt.datetime, now: dt.datetime | None = None) -> bool:
        return ((now or utcnow()) - accepted_at).total_seconds() < self.hold_seconds

    def silence_is_an_outage(self) -> bool:
        """A bot that answered nothing: its action server is out (so wait), or not."""
        return self.hold_seconds > 0 and self.actions_ready is not None and not self.actions_ready()
