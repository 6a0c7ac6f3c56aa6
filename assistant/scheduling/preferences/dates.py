"""Reading dates: "tomorrow", "next week", "this weekend", "nov 30", "11/30", "the 30th"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.scheduling.preferences.draft import EVENING, Draft, Window, blank
from assistant.wording import formats

_MONTHS = {name.lower(): index + 1 for index, name in enumerate(formats.month_names())}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS.update({"sept": 9})

_TOMORROW = r"(?:tomorrow|tmrw|tmr|tmrow|tomorow|tommorow|tommorrow|tomorroe|2morrow|2moro)"
_WEEKEND = frozenset({5, 6})
_WEEKDAYS = frozenset(range(5))


@dataclass(frozen=True)
class _DateRule:
    """A phrase and what it says: a span of dates, weekdays, a part of the day."""

    pattern: str
    span: tuple[dt.date, dt.date] | None = None
    words: str = ""  # how replies say the span ("next week")
    weekdays: frozenset[int] = frozenset()
    part: Window | None = None
    day_word: str = ""  # the part's word, or a word on its own ("weekend")

    def apply(self, match: re.Match[str], draft: Draft) -> None:
        draft.weekdays.update(self.weekdays)
        if self.span is not None:
            draft.dates(self.span[0], self.span[1], self.words, match.start())
        if self.part is not None:
            draft.part(self.part, self.day_word)
        elif self.day_word:
            draft.day_words.append(self.day_word)


def _relative_rules(today: dt.date) -> list[_DateRule]:
    """Days and weeks counted from today.  Longer phrases first ("day after tomorrow")."""
    day = dt.timedelta(days=1)
    monday = today - today.weekday() * day
    this_week = (today, monday + 6 * day)
    return [
        _DateRule(
            rf"\bday after {_TOMORROW}\b", span=(today + 2 * day, today + 2 * day), words="the day after tomorrow"
        ),
        _DateRule(rf"\b{_TOMORROW}\b", span=(today + day, today + day), words="tomorrow"),
        _DateRule(
            r"\b(?:tonight|tonite|2night)\b", span=(today, today), words="today", part=EVENING, day_word="evening"
        ),
        _DateRule(r"\b(?:today|this (?=morning|afternoon|evening))\b", span=(today, today), words="today"),
        _DateRule(r"\bweek after next\b", span=(monday + 14 * day, monday + 20 * day), words="the week after next"),
        _DateRule(
            r"\b(?:next|nxt|following) weekend\b",
            span=(monday + 12 * day, monday + 13 * day),
            words="next weekend",
            weekdays=_WEEKEND,
        ),
        _DateRule(r"\bthis weekend\b", span=this_week, words="this weekend", weekdays=_WEEKEND),
        _DateRule(r"\b(?:next|nxt|following) week\b", span=(monday + 7 * day, monday + 13 * day), words="next week"),
        _DateRule(r"\b(?:this|current) week\b", span=this_week, words="this week"),
        _DateRule(r"\b(?:week ?ends?|wknds?|wkends?)\b", weekdays=_WEEKEND, day_word="weekend"),
        _DateRule(r"\bweek ?nights?\b", weekdays=_WEEKDAYS, part=EVENING, day_word="weekday"),
        _DateRule(r"\bweek ?days?\b", weekdays=_WEEKDAYS, day_word="weekday"),
    ]


def read_dates(text: str, today: dt.date, draft: Draft) -> str:
    """Relative days, weeks and calendar dates; returns the text with them blanked out."""
    for rule in _relative_rules(today):
        for match in list(re.finditer(rule.pattern, text)):
            rule.apply(match, draft)
        text = re.sub(rule.pattern, blank, text)
    return _read_calendar_dates(text, today, draft)


# A calendar date's pattern, and how to read (month, day) from its match; no month: "the 30th".
_MonthDay = Callable[[re.Match[str]], tuple[str | None, str]]


def _calendar_patterns() -> tuple[tuple[str, _MonthDay], ...]:
    month_names = "|".join(sorted(_MONTHS, key=len, reverse=True))
    day_first_months = "|".join(name for name in sorted(_MONTHS, key=len, reverse=True) if name != "may")
    return (
        (rf"\b({month_names})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b", lambda m: (m.group(1), m.group(2))),
        # Not "may" here: "after 5 may work" is not May 5th.
        (rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({day_first_months})\b", lambda m: (m.group(2), m.group(1))),
        (r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])", lambda m: (m.group(1), m.group(2))),
        (r"\bthe (\d{1,2})(?:st|nd|rd|th)\b", lambda m: (None, m.group(1))),
    )


def _read_calendar_dates(text: str, today: dt.date, draft: Draft) -> str:
    """ "nov 30", "30 nov", "11/30", "the 30th": one particular day."""
    for pattern, month_day in _calendar_patterns():
        for match in list(re.finditer(pattern, text)):
            month_text, day_text = month_day(match)
            day = _calendar_day(month_text, int(day_text), today)
            if day is not None:
                draft.dates(day, day, formats.short_date(day), match.start())
                text = text[: match.start()] + " " * len(match.group(0)) + text[match.end() :]
    return text


def _calendar_day(month_text: str | None, day: int, today: dt.date) -> dt.date | None:
    """The next such date on or after today (this month, or next, for a bare "the 30th")."""
    if month_text is None:
        candidates = [(today.year, today.month), _add_month(today.year, today.month)]
    else:
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text]
        if not 1 <= month <= 12:
            return None
        candidates = [(today.year, month), (today.year + 1, month)]
    for year, month in candidates:
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _add_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)
