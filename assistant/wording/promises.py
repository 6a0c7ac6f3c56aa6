"""The honest promise of when a person will answer, in words.

`assistant.scheduling.hours.promise()` decides which promise applies (its `kind`) and
when; this module only picks the catalog entry for that kind: `promise.<kind>` (the
`{promise}` of a hand-off reply), `waiting.<kind>` (a client writing again while waiting)
and `callback.<kind>` (the phone's promise, said aloud).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

from assistant.wording.catalog import text
from assistant.wording.durations import duration
from assistant.wording.moments import spoken_moment, written_moment


class PromiseFacts(Protocol):
    """What wording needs of a `scheduling.hours.Promise`.  Described here rather than
    imported: scheduling uses wording (names of days and months), never the reverse."""

    @property
    def kind(self) -> str: ...  # a `PromiseKind` value, e.g. "within_window"

    @property
    def due(self) -> dt.datetime | None: ...

    @property
    def window_minutes(self) -> int: ...

    @property
    def zone(self) -> ZoneInfo: ...


def handoff_promise(promise: PromiseFacts, now: dt.datetime) -> str:
    """'a person will reply right here within about an hour' (or 'by Thu Nov 26, 10:00 AM EST',
    or 'we're closed right now, so ...'): the `{promise}` of a hand-off reply."""
    when = written_moment(promise.due, promise.zone, now) if promise.due is not None else None
    return _say("promise", promise, when)


def waiting_text(promise: PromiseFacts, now: dt.datetime) -> str:
    """What a client who writes again while waiting for a person is told."""
    when = written_moment(promise.due, promise.zone, now) if promise.due is not None else None
    return _say("waiting", promise, when)


def callback_promise(promise: PromiseFacts, now: dt.datetime) -> str:
    """'a person will call you back within about an hour' (or 'by 10 AM tomorrow'): said on a call."""
    when = spoken_moment(promise.due, promise.zone, now) if promise.due is not None else None
    return _say("callback", promise, when)


def _say(family: str, promise: PromiseFacts, when: str | None) -> str:
    values = {"window": duration(promise.window_minutes)}
    if when is not None:  # every kind but closed_unknown has a due time (catalog.text checks)
        values["when"] = when
    return text(f"{family}.{promise.kind}", **values)
