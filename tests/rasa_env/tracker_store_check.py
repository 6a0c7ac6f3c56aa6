"""Run inside .venv-rasa (by the tests): load a generated endpoints file the way `rasa run` does.

    save  <endpoints.yml> <sender> <json [[unix_time, text], ...]>  store user turns at those times
    count <endpoints.yml> <sender>                                  how many user turns Rasa still has
    churn <endpoints.yml> <prefix> <n>                              save n conversations, turn by turn

Prints one JSON object with the tracker and lock store classes Rasa built from the file.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


async def churn(store: TrackerStore, prefix: str, count: int) -> dict[str, Any]:
    """Save `count` conversations of three turns each, as fast as Rasa can (one save per turn)."""
    for number in range(count):
        tracker = DialogueStateTracker.from_events(f"{prefix}-{number}", [])
        for text in ("hi", "reschedule", "2"):
            tracker.update(UserUttered(text))
            await store.save(tracker)
    return {"saved": count}


async def main(mode: str, endpoints_path: str, sender: str, turns: str | None) -> dict[str, Any]:
    endpoints = read_endpoints_from_path(endpoints_path)
    store = TrackerStore.create(endpoints.tracker_store, domain=Domain.empty())
    if mode == "churn":
        return await churn(store, sender, int(turns or "0"))
    locks = LockStore.create(endpoints.lock_store)
    report: dict[str, Any] = {"tracker_store": type(store).__name__, "lock_store": type(locks).__name__}
    if hasattr(locks, "key_prefix"):
        report["lock_key_prefix"] = locks.key_prefix
    # Proves the lock store really connects (Redis when configured): take and release a lock.
    async with locks.lock(sender, lock_lifetime=5):
        if mode == "save":
            events = [UserUttered(text, timestamp=float(at)) for at, text in json.loads(turns or "[]")]
            await store.save(DialogueStateTracker.from_events(sender, events))
        tracker = await store.retrieve_full_tracker(sender)
    report["user_turns"] = 0 if tracker is None else sum(isinstance(e, UserUttered) for e in tracker.events)
    return report


if __name__ == "__main__":
    arguments = sys.argv[1:]
    print(json.dumps(asyncio.run(main(arguments[0], arguments[1], arguments[2], (arguments[3:] or [None])[0]))))
