"""How long, in words: 60 -> "an hour", 90 -> "1 hour 30 minutes" (the catalog's `duration.*`).

Counted words pick their catalog entry by the locale's CLDR plural category ("one",
"other", ...), so a language with more plural forms adds entries, not code.
"""

from __future__ import annotations

from babel import Locale

from assistant.wording.catalog import text
from assistant.wording.formats import LOCALE

_PLURALS = Locale.parse(LOCALE)


def counted(key: str, count: int) -> str:
    """`<key>.<plural category>` with `{count}` filled: ("duration.hours", 1) -> "1 hour"."""
    return text(f"{key}.{_PLURALS.plural_form(count)}", count=count)


def duration(minutes: int) -> str:
    """60 -> 'an hour', 30 -> '30 minutes', 90 -> '1 hour 30 minutes', 120 -> '2 hours'."""
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return text("duration.a_minute") if rest == 1 else counted("duration.minutes", rest)
    if rest == 0:
        return text("duration.an_hour") if hours == 1 else counted("duration.hours", hours)
    return text(
        "duration.hours_and_minutes", hours=counted("duration.hours", hours), minutes=counted("duration.minutes", rest)
    )
