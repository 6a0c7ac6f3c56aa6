"""What the parser has read so far, before it becomes a SlotPreference."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# A time window (not_before, before); None is open on that side.
Window = tuple[dt.time | None, dt.time | None]

# Named parts of the day.
MORNING: Window = (None, dt.time(12))
AFTERNOON: Window = (dt.time(12), dt.time(17))
EVENING: Window = (dt.time(17), None)


@dataclass
class Draft:
    """What has been read so far; turned into a SlotPreference at the end."""

    weekdays: set[int] = field(default_factory=set)
    excluded_weekdays: set[int] = field(default_factory=set)
    earliest: dt.date | None = None
    latest: dt.date | None = None
    day_parts: list[Window] = field(default_factory=list)
    not_before: dt.time | None = None
    before: dt.time | None = None
    date_words: list[tuple[int, str]] = field(default_factory=list)  # (where, "next week")
    day_words: list[str] = field(default_factory=list)  # "afternoon", "evening" ...
    at_phrase: str = ""  # "at 3 PM", "around 4 PM"
    at_window: Window = (None, None)

    def bound(self, not_before: dt.time | None = None, before: dt.time | None = None) -> None:
        """Narrow the explicit time window ("after 5" and "before 7" both apply)."""
        if not_before is not None:
            self.not_before = max(self.not_before or not_before, not_before)
        if before is not None:
            self.before = min(self.before or before, before)

    def dates(self, earliest: dt.date, latest: dt.date, words: str, where: int) -> None:
        """Widen the date range: several dates are alternatives ("today or tomorrow")."""
        self.earliest = min(self.earliest or earliest, earliest)
        self.latest = max(self.latest or latest, latest)
        self.date_words.append((where, words))

    def part(self, window: Window, word: str) -> None:
        """A named part of the day ("afternoon"); several widen each other ("morning or evening")."""
        self.day_parts.append(window)
        self.day_words.append(word)


def blank(match: re.Match[str]) -> str:
    """Spaces in place of what a pass understood, so positions stay and nothing reads it again."""
    return " " * len(match.group(0))
