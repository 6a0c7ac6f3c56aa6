"""Dates of birth as clients type them: "4/12/90", "april 12 1990", "12 april 1990"."""

from __future__ import annotations

import datetime as dt
import re

from assistant.wording import formats

# Month names and abbreviations -> 1..12 (choice.py reads "nov 27" with them too).
MONTHS = {name.lower(): number for number, name in enumerate(formats.month_names(), 1)}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEP = r"[\s,.\-/]*"
_DAY = r"(\d{1,2})(?!\d)(?:st|nd|rd|th)?"
_YEAR = r"(?<!\d)(\d{4}|\d{2})"

# Each pattern yields (month, day, year) from its groups, in that order of `keys`.
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, str, str]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), keys)
    for pattern, keys in (
        (r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)", ("m2", "d3", "y1")),  # ISO
        (r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)", ("m1", "d2", "y3")),  # US
        (rf"\b({_MONTH_NAMES})\.?{_SEP}{_DAY}{_SEP}{_YEAR}(?!\d)", ("m1", "d2", "y3")),
        (rf"(?<!\d){_DAY}{_SEP}(?:of\s+)?({_MONTH_NAMES})\.?{_SEP}{_YEAR}(?!\d)", ("m2", "d1", "y3")),
        (r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)", ("m1", "d2", "y3")),  # 04121990
    )
)


def parse_date_of_birth(text: str, *, today: dt.date | None = None) -> dt.date | None:
    """A date of birth in US order for numeric forms, or None.

    "1990-04-12", "04/12/1990", "4/12/90", "04-12-1990", "April 12 1990",
    "12 april 1990", "apr 12, 1990".  Two-digit years are 19xx when above this
    year's two digits, else 20xx.  Impossible or future dates give None.  A numeric
    date that only works day-first ("25/12/1990") is read day-first.
    """
    found = find_date(text, today or dt.date.today())
    return found[0] if found else None


def find_date(text: str, today: dt.date) -> tuple[dt.date, tuple[int, int]] | None:
    """The first readable date in `text` and its (start, end) span."""
    for pattern, keys in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = {key[0]: match.group(int(key[1])) for key in keys}
            date = _make_date(parts["m"], parts["d"], parts["y"], today)
            if date is not None:
                return date, match.span()
    return None


def _make_date(month_text: str, day_text: str, year_text: str, today: dt.date) -> dt.date | None:
    if month_text.isdigit():
        month = int(month_text)
    else:
        month = MONTHS.get(month_text.lower().rstrip("."), 0)
    day, year = int(day_text), int(year_text)
    if len(year_text) == 2:
        year += 1900 if year > today.year % 100 else 2000
    candidates = [(year, month, day)]
    if month_text.isdigit() and month > 12 and day <= 12:
        candidates.append((year, day, month))  # only readable day-first
    for y, m, d in candidates:
        try:
            date = dt.date(y, m, d)
        except ValueError:
            continue
        if date <= today and y >= 1900:
            return date
        return None
    return None
