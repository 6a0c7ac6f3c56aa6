"""The constraints on a slot that a client's wishes come to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SlotPreference:
    """Constraints on a slot, all in the practice's local time.  Empty means 'anything'."""

    weekdays: frozenset[int] = field(default_factory=frozenset)  # Monday = 0
    earliest_date: dt.date | None = None
    latest_date: dt.date | None = None
    not_before: dt.time | None = None  # e.g. "after 5" -> 17:00
    before: dt.time | None = None  # e.g. "morning" -> 12:00
    description: str = ""  # human wording, e.g. "Friday afternoon"

    @property
    def is_empty(self) -> bool:
        return not (self.weekdays or self.earliest_date or self.latest_date or self.not_before or self.before)

    def accepts(self, local_start: dt.datetime) -> bool:
        """Whether a slot starting at this local (practice timezone) time fits."""
        day = local_start.date()
        if self.weekdays and local_start.weekday() not in self.weekdays:
            return False
        if self.earliest_date and day < self.earliest_date:
            return False
        if self.latest_date and day > self.latest_date:
            return False
        moment = local_start.time().replace(tzinfo=None)
        if self.not_before and moment < self.not_before:
            return False
        if self.before and moment >= self.before:
            return False
        return True
