"""What a client said about when they would like to come, and parsing it from text.

`SlotPreference` is what the slot search honours; `parse_preference` turns
"friday afternoon", "next week" or "after 5" into one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import OSA

from assistant.wording import formats


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


# ---------------------------------------------------------------------------------------
# Parsing: "next friday afternoon", "any tuesday after 5", "fri or mon morning" ...
# ---------------------------------------------------------------------------------------
# Clinic hours are 8:00-20:00, so a bare hour 1-7 means PM, 8-11 AM and 12 noon.
# A SlotPreference holds one set of weekdays, one date range and one time window, so
# "fri or mon morning" becomes Friday-or-Monday mornings: close enough for a slot search.

WEEKDAY_NAMES = formats.weekday_names()  # ("Monday", ... "Sunday"): parsed and written
_WEEKDAY_WORDS: dict[str, int] = {
    "mon": 0,
    "mondays": 0,
    "mondy": 0,
    "monady": 0,
    "tue": 1,
    "tues": 1,
    "tuesdays": 1,
    "tusday": 1,
    "tuseday": 1,
    "teusday": 1,
    "wed": 2,
    "weds": 2,
    "wednesdays": 2,
    "wensday": 2,
    "wendsday": 2,
    "wednsday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thurdsay": 3,
    "thursdays": 3,
    "thrus": 3,
    "fri": 4,
    "fridays": 4,
    "fridy": 4,
    "firday": 4,
    "frday": 4,
    "frid": 4,
    "frdy": 4,
    "sat": 5,
    "saturdays": 5,
    "satruday": 5,
    "saturady": 5,
    "satday": 5,
    "sun": 6,
    "sundays": 6,
    "sunady": 6,
    "sundy": 6,
}
_WEEKDAY_WORDS.update({name.lower(): index for index, name in enumerate(WEEKDAY_NAMES)})
# Never read as a weekday even though they are close to one ("money" ~ "monday").
_NOT_WEEKDAYS = frozenset({"money", "mondo", "sunny", "sundae", "fryday", "friend", "friends"})
# "not friday", "except fri", "cant do monday" exclude the day that follows; "no" and
# "but" only in "no mondays" / "anything but friday" ("no, friday is fine" is a yes).
_EXCLUDE_WORDS = frozenset(
    {"not", "except", "besides", "excluding", "never", "cant", "cannot", "dont", "wont", "isnt", "unavailable"}
)
_EXCLUDE_RIGHT_BEFORE = frozenset({"no"})
_ANYTHING = frozenset({"anything", "anyday", "day", "everything", "any", "all", "anytime"})

_MONTHS = {name.lower(): index + 1 for index, name in enumerate(formats.month_names())}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS.update({"sept": 9})

_TOMORROW = r"(?:tomorrow|tmrw|tmr|tmrow|tomorow|tommorow|tommorrow|tomorroe|2morrow|2moro)"
_HOUR = r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|a|p)?(?![\d:])"
_MERIDIEM_WORDS = r"(?:\s*(?:in\s+the\s+)?(morning|afternoon|evening|night))?"

# Named parts of the day: (not_before, before).
_MORNING = (None, dt.time(12))
_AFTERNOON = (dt.time(12), dt.time(17))
_EVENING = (dt.time(17), None)


@dataclass
class _Draft:
    """What has been read so far; turned into a SlotPreference at the end."""

    weekdays: set[int] = field(default_factory=set)
    excluded_weekdays: set[int] = field(default_factory=set)
    earliest: dt.date | None = None
    latest: dt.date | None = None
    day_parts: list[tuple[dt.time | None, dt.time | None]] = field(default_factory=list)
    not_before: dt.time | None = None
    before: dt.time | None = None
    date_words: list[tuple[int, str]] = field(default_factory=list)  # (where, "next week")
    day_words: list[str] = field(default_factory=list)  # "afternoon", "evening" ...
    at_phrase: str = ""  # "at 3 PM", "around 4 PM"
    at_window: tuple[dt.time | None, dt.time | None] = (None, None)

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


def parse_preference(text: str, today: dt.date) -> SlotPreference:
    """Read day and time wishes from a client's message; empty if it names none.

    `today` is the practice-local date; "tomorrow", "next week" etc. count from it.
    """
    prepared = _prepare(text)
    if not prepared:
        return SlotPreference()
    draft = _Draft()
    remaining = _blank_current_appointment(prepared)
    remaining = _read_dates(remaining, today, draft)
    remaining = _read_times(remaining, draft)
    _read_weekdays(remaining, today, draft)
    return _finish(draft)


def _prepare(text: str) -> str:
    prepared = text.lower().replace("\u2019", "'").replace("'", "")
    prepared = re.sub(r"[^\w:/.,\- ]+", " ", prepared)  # commas stay: "no, friday" is a yes
    prepared = re.sub(r"(?<=[a-z])\.(?=\s|$)", " ", prepared)  # "fri." -> "fri"
    return re.sub(r"\s+", " ", prepared).strip()


# Words that name a day or time: "thursday", "thurs", "tomorrow", "3pm", "10:30".
_DAY_WORD = (
    r"(?:[a-z]*day|mon|tues?|weds?|thu|thur|thurs|fri|sat|sun|tmrw|tmr|today|tonight"
    r"|tomorrow)"
)
_CLOCK_WORD = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2})"
_WHEN_WORD = rf"(?:{_DAY_WORD}|{_CLOCK_WORD})"
_APPOINTMENT = r"(?:\s+(?:session|sessions|appt|appts|appointment|apointment|slot|visit|one))*"
# Phrases naming the appointment the client already has, not the time they want:
# "move my 3pm", "thursday's session", "from monday to wednesday", "instead of tuesday",
# "i can't make 4pm anymore".  They are blanked out before reading preferences.
_CURRENT_APPOINTMENT = re.compile(
    rf"\bmy\s+(?:(?:usual|current|regular|normal|scheduled|next|upcoming|booked|original)\s+)?"
    rf"{_WHEN_WORD}s?(?:\s+{_WHEN_WORD}s?)?{_APPOINTMENT}\b"
    rf"|\b{_WHEN_WORD}s\s+(?:session|appt|appointment|apointment|slot|visit)\b"
    rf"|\bfrom\s+(?:my\s+|the\s+)?{_DAY_WORD}s?{_APPOINTMENT}(?=\s+to\b)"
    rf"|\b(?:instead\s+of|rather\s+than)\s+(?:my\s+|the\s+)?{_WHEN_WORD}s?{_APPOINTMENT}\b"
    rf"|\b(?:cant|cannot|can\s+not|wont|couldnt|unable\s+to|not\s+able\s+to)\s+"
    rf"(?:make|do|come|attend|go)(?:\s+(?:it|in))?(?:\s+(?:at|on|to|for))?\s+(?:my\s+|the\s+)?"
    rf"(?:{_CLOCK_WORD}|today|tonight|tomorrow|tmrw|tmr){_APPOINTMENT}\b"
)


def _blank_current_appointment(text: str) -> str:
    return _CURRENT_APPOINTMENT.sub(lambda match: " " * len(match.group(0)), text)


def _read_dates(text: str, today: dt.date, draft: _Draft) -> str:
    """Relative days, weeks and calendar dates; returns the text with them blanked out."""
    monday = today - dt.timedelta(days=today.weekday())

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    day = dt.timedelta(days=1)
    week = (monday + 7 * day, monday + 13 * day)
    rules: list[tuple[str, Any]] = [
        (rf"\bday after {_TOMORROW}\b", lambda m: _span(m, (today + 2 * day,) * 2, "the day after tomorrow", draft)),
        (rf"\b{_TOMORROW}\b", lambda m: _span(m, (today + day,) * 2, "tomorrow", draft)),
        (
            r"\b(?:tonight|tonite|2night)\b",
            lambda m: (_span(m, (today, today), "today", draft), _part(draft, _EVENING, "evening")),
        ),
        (r"\b(?:today|this (?=morning|afternoon|evening))\b", lambda m: _span(m, (today, today), "today", draft)),
        (
            r"\bweek after next\b",
            lambda m: _span(m, (monday + 14 * day, monday + 20 * day), "the week after next", draft),
        ),
        (
            r"\b(?:next|nxt|following) weekend\b",
            lambda m: (
                draft.weekdays.update({5, 6}),
                _span(m, (monday + 12 * day, monday + 13 * day), "next weekend", draft),
            ),
        ),
        (
            r"\bthis weekend\b",
            lambda m: (draft.weekdays.update({5, 6}), _span(m, (today, monday + 6 * day), "this weekend", draft)),
        ),
        (r"\b(?:next|nxt|following) week\b", lambda m: _span(m, week, "next week", draft)),
        (r"\b(?:this|current) week\b", lambda m: _span(m, (today, monday + 6 * day), "this week", draft)),
        (
            r"\b(?:week ?ends?|wknds?|wkends?)\b",
            lambda m: (draft.weekdays.update({5, 6}), draft.day_words.append("weekend")),
        ),
        (r"\bweek ?nights?\b", lambda m: (draft.weekdays.update(range(5)), _part(draft, _EVENING, "weekday"))),
        (r"\bweek ?days?\b", lambda m: (draft.weekdays.update(range(5)), draft.day_words.append("weekday"))),
    ]
    for pattern, action in rules:
        for match in list(re.finditer(pattern, text)):
            action(match)
        text = re.sub(pattern, blank, text)
    return _read_calendar_dates(text, today, draft)


def _span(match: re.Match[str], days: tuple[dt.date, dt.date], words: str, draft: _Draft) -> None:
    draft.dates(days[0], days[1], words, match.start())


def _read_calendar_dates(text: str, today: dt.date, draft: _Draft) -> str:
    """ "nov 30", "30 nov", "11/30", "the 30th": one particular day."""
    month_names = "|".join(sorted(_MONTHS, key=len, reverse=True))
    day_first_months = "|".join(name for name in sorted(_MONTHS, key=len, reverse=True) if name != "may")
    patterns = (
        (rf"\b({month_names})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b", lambda m: (m.group(1), m.group(2))),
        # Not "may" here: "after 5 may work" is not May 5th.
        (rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({day_first_months})\b", lambda m: (m.group(2), m.group(1))),
        (r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])", lambda m: (m.group(1), m.group(2))),
        (r"\bthe (\d{1,2})(?:st|nd|rd|th)\b", lambda m: (None, m.group(1))),
    )
    for pattern, parts in patterns:
        for match in list(re.finditer(pattern, text)):
            month_text, day_text = parts(match)
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


def _read_times(text: str, draft: _Draft) -> str:
    """Parts of the day and clock bounds; returns the text with them blanked out."""

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    def between(match: re.Match[str]) -> None:
        start = _clock(match.group(1), match.group(2), match.group(3) or match.group(7), None)
        end = _clock(match.group(4), match.group(5), match.group(6) or match.group(7), None)
        if start and end and start >= end and not (match.group(3) or match.group(7)):
            start = _clock(match.group(1), match.group(2), "am", None)
        if start and end and start < end:
            draft.bound(start, end)

    def at(match: re.Match[str]) -> None:
        """ "at 3", "3pm", "3:00": slots starting that hour; "around 4": an hour either side."""
        moment = _clock_with_word(match) if match.group(1) else dt.time(12)
        if moment is None:
            return
        around = match.group(0).lstrip().startswith(("around", "about", "abt"))
        draft.bound(_shift(moment, -60 if around else 0), _shift(moment, 60))
        draft.at_phrase = f"{'around' if around else 'at'} {formats.time_of_day(moment)}"
        draft.at_window = (draft.not_before, draft.before)

    # Order matters: longer phrases come before their parts ("late afternoon" before
    # "afternoon", "between 2 and 4" before "after 2"), and each match is blanked out
    # so later rules cannot read it again.
    rules: list[tuple[str, Any]] = [
        (r"\b(?:as early as possible|asap|earliest|soonest)\b", lambda m: None),
        (r"\b(?:early|earlier) (?:in the )?mornings?\b", lambda m: _part(draft, (None, dt.time(10)), "early morning")),
        (r"\blate (?:in the )?mornings?\b", lambda m: _part(draft, (dt.time(10), dt.time(12)), "late morning")),
        (r"\bearly (?:in the )?afternoons?\b", lambda m: _part(draft, (dt.time(12), dt.time(14)), "early afternoon")),
        (r"\blate (?:in the )?afternoons?\b", lambda m: _part(draft, (dt.time(15), dt.time(17)), "late afternoon")),
        (r"\bearly (?:in the )?evenings?\b", lambda m: _part(draft, (dt.time(17), dt.time(19)), "early evening")),
        (r"\blate (?:in the )?(?:evenings?|nights?)\b", lambda m: _part(draft, (dt.time(18), None), "late evening")),
        (r"\bafter (?:lunch|lunchtime)\b", lambda m: draft.bound(dt.time(13))),
        (r"\bbefore (?:lunch|lunchtime)\b", lambda m: draft.bound(before=dt.time(12))),
        (
            r"\b(?:at |around |over )?(?:lunch ?time|lunch|midday|mid day)\b",
            lambda m: _part(draft, (dt.time(11, 30), dt.time(13, 30)), "around lunch"),
        ),
        (
            r"\bafter (?:work|school|hours)\b",
            lambda m: draft.bound(dt.time(15) if "school" in m.group(0) else dt.time(17)),
        ),
        (r"\bbefore (?:work|school)\b", lambda m: draft.bound(before=dt.time(9))),
        (r"\b(?:before|by) (?:noon|midday|12 ?noon)\b", lambda m: draft.bound(before=dt.time(12))),
        (r"\b(?:after|past) (?:noon|midday|12 ?noon)\b", lambda m: draft.bound(dt.time(12))),
        (
            rf"\b(?:between|from|btwn|btw) {_HOUR} ?(?:and|to|-|&) ?{_HOUR}"
            rf"(?:\s*(am|pm))?",
            between,
        ),
        (rf"(?<![\d:])\b{_HOUR} ?(?:-|to) ?{_HOUR}\s*(am|pm)?(?=\s|$)", between),
        (
            rf"\b(?:after|afer|aftr|past|from|not before|no earlier than|later than|at least) {_HOUR}"
            rf"{_MERIDIEM_WORDS}",
            lambda m: draft.bound(not_before=_clock_with_word(m)),
        ),
        (
            rf"\b(?:before|b4|by|until|till|til|no later than|earlier than) {_HOUR}{_MERIDIEM_WORDS}",
            lambda m: draft.bound(before=_clock_with_word(m)),
        ),
        (rf"\b(?:at|around|about|abt|@) {_HOUR}{_MERIDIEM_WORDS}", at),
        (r"(?<![\d:])\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![\w])()", at),
        (r"\b(\d{1,2}):(\d{2})()()\b", at),
        (r"\b(?:at |around )?noon()()()()\b", at),
        (r"\b(?:mornings?|morn|mornin|first thing)\b", lambda m: _part(draft, _MORNING, "morning")),
        (r"\b(?:afternoons?|aft|arvo)\b", lambda m: _part(draft, _AFTERNOON, "afternoon")),
        (r"(?<!last )\b(?:evenings?|nights?)\b", lambda m: _part(draft, _EVENING, "evening")),
        (r"\b(?:early in the day|early|earlyish)\b", lambda m: _part(draft, (None, dt.time(10)), "early")),
        (
            r"(?<!running )(?<!im )(?<!am )(?<!be )(?<!is )(?<!was )(?<!been )(?<!too )"
            r"\b(?:late in the day|late|lateish)\b"
            r"(?! (?:fee|cancel|reply|response|payment|notice|charge|again))",
            lambda m: _part(draft, _EVENING, "late"),
        ),
    ]
    for pattern, action in rules:
        for match in list(re.finditer(pattern, text)):
            action(match)
        text = re.sub(pattern, blank, text)
    return text


def _part(draft: _Draft, window: tuple[dt.time | None, dt.time | None], word: str) -> None:
    draft.day_parts.append(window)
    draft.day_words.append(word)


def _clock(hour_text: str, minute_text: str | None, meridiem: str | None, day_word: str | None) -> dt.time | None:
    """A clock time, reading bare hours the way a clinic open 8-20 means them."""
    hour = int(hour_text)
    minute = int(minute_text) if minute_text else 0
    if minute > 59 or hour > 23:
        return None
    suffix = (meridiem or "").replace(".", "")[:1]
    if suffix == "p" or day_word in ("afternoon", "evening", "night"):
        if hour > 12:
            return None if hour > 23 else dt.time(hour, minute)
        hour = hour % 12 + 12
    elif suffix == "a" or day_word == "morning":
        if hour > 12:
            return None
        hour = hour % 12
    elif 1 <= hour <= 7:
        hour += 12
    return dt.time(hour, minute)


def _clock_with_word(match: re.Match[str]) -> dt.time | None:
    return _clock(match.group(1), match.group(2), match.group(3), match.group(4))


def _shift(moment: dt.time, minutes: int) -> dt.time:
    total = min(max(moment.hour * 60 + moment.minute + minutes, 0), 23 * 60 + 59)
    return dt.time(total // 60, total % 60)


def _read_weekdays(text: str, today: dt.date, draft: _Draft) -> None:
    words = re.findall(r"[a-z]+|,", text)
    for index, word in enumerate(words):
        day = _weekday(word)
        if day is None:
            continue
        if _is_excluded(words, index):
            draft.excluded_weekdays.add(day)
            continue
        draft.weekdays.add(day)
        if index > 0 and words[index - 1] in ("next", "nxt", "this", "coming"):
            # "next friday" is the upcoming one: the weekday filter does the rest.
            draft.earliest = max(draft.earliest or today, today + dt.timedelta(1))


def _is_excluded(words: list[str], index: int) -> bool:
    """ "not friday", "except fri", "anything but friday", "no mondays"."""
    if index and words[index - 1] in _EXCLUDE_RIGHT_BEFORE:
        return True
    if index > 1 and words[index - 1] == "but" and words[index - 2] in _ANYTHING:
        return True
    # "fri or mon, but not tuesday": only words after the last weekday in the window count.
    for word in reversed(words[max(0, index - 3) : index]):
        if _weekday(word) is not None:
            return False
        if word in _EXCLUDE_WORDS:
            return True
    return False


def _weekday(word: str) -> int | None:
    if word in _WEEKDAY_WORDS:
        return _WEEKDAY_WORDS[word]
    if len(word) < 5 or word in _NOT_WEEKDAYS:
        return None
    # Typos: "fridy", "wendsday", "thrusday".  One edit for short words, two for long.
    limit = 1 if len(word) <= 6 else 2
    for index, name in enumerate(WEEKDAY_NAMES):
        name = name.lower()
        if word[0] == name[0] and _edit_distance(word.removesuffix("s"), name) <= limit:
            return index
    return None


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance counting a swap of neighbours as one edit ("firday").

    Optimal string alignment: unlike unrestricted Damerau-Levenshtein, a swapped pair is
    not edited again, which is what a typo is.
    """
    return int(OSA.distance(a, b))


def _finish(draft: _Draft) -> SlotPreference:
    weekdays = set(draft.weekdays)
    if draft.excluded_weekdays:
        weekdays = (weekdays or set(range(7))) - draft.excluded_weekdays
    not_before, before = _union(draft.day_parts)
    # Explicit bounds ("after 5") narrow a named part ("evening"); if they contradict it,
    # the explicit bound wins.
    if draft.not_before is not None or draft.before is not None:
        narrowed_from = max(filter(None, (not_before, draft.not_before)), default=None)
        narrowed_to = min(filter(None, (before, draft.before)), default=None)
        if narrowed_from is not None and narrowed_to is not None and narrowed_from >= narrowed_to:
            narrowed_from, narrowed_to = draft.not_before, draft.before
        not_before, before = narrowed_from, narrowed_to
    earliest, latest = draft.earliest, draft.latest
    if earliest and latest and earliest > latest:  # "next friday" said with "today"
        earliest = latest
    preference = SlotPreference(
        weekdays=frozenset(weekdays), earliest_date=earliest, latest_date=latest, not_before=not_before, before=before
    )
    if preference.is_empty:
        return SlotPreference()
    return SlotPreference(
        weekdays=preference.weekdays,
        earliest_date=earliest,
        latest_date=latest,
        not_before=not_before,
        before=before,
        description=_describe(draft, preference),
    )


def _union(parts: list[tuple[dt.time | None, dt.time | None]]) -> tuple[dt.time | None, dt.time | None]:
    """ "morning or evening": the smallest window covering every part mentioned."""
    if not parts:
        return None, None
    starts = [start for start, _ in parts]
    ends = [end for _, end in parts]
    start = None if None in starts else min(s for s in starts if s is not None)
    end = None if None in ends else max(e for e in ends if e is not None)
    return start, end


def _describe(draft: _Draft, preference: SlotPreference) -> str:
    """A short phrase for replies ("openings for ..."): "Friday afternoon", "next week"."""
    days = _describe_weekdays(preference.weekdays, draft)
    when = _describe_times(preference.not_before, preference.before, draft)
    dates = " or ".join(dict.fromkeys(words for _, words in sorted(draft.date_words)))
    one_day = preference.earliest_date is not None and preference.earliest_date == preference.latest_date
    if one_day:
        # "tomorrow morning", "Fri Nov 27 after 5 PM": the date already says the weekday.
        if dates == "today" and when == "evening" and not days:
            return "tonight"
        return " ".join(part for part in (dates, when) if part)
    if "weekend" in dates and preference.weekdays == frozenset({5, 6}):
        days = ""  # "this weekend" already says it
    if days == "weekend" and not (when or dates):
        return "the weekend"
    return " ".join(part for part in (days, when, dates) if part)


def _describe_weekdays(weekdays: frozenset[int], draft: _Draft) -> str:
    if not weekdays:
        return ""
    if weekdays == frozenset({5, 6}) and "weekend" in draft.day_words:
        return "weekend"
    if weekdays == frozenset(range(5)) and not draft.excluded_weekdays:
        timed = draft.day_parts or draft.not_before or draft.before
        return "weekday" if timed else "weekdays"  # "weekday mornings" / "weekdays"
    names = [WEEKDAY_NAMES[day] for day in sorted(weekdays)]
    if draft.excluded_weekdays and len(names) > 2:
        excluded = " or ".join(WEEKDAY_NAMES[day] for day in sorted(draft.excluded_weekdays))
        return f"any day but {excluded}"
    return " or ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + f" or {names[-1]}"


_NAMED_WINDOWS: dict[tuple[dt.time | None, dt.time | None], str] = {
    _MORNING: "morning",
    _AFTERNOON: "afternoon",
    _EVENING: "evening",
    (None, dt.time(10)): "early morning",
    (dt.time(10), dt.time(12)): "late morning",
    (dt.time(12), dt.time(14)): "early afternoon",
    (dt.time(15), dt.time(17)): "late afternoon",
    (dt.time(17), dt.time(19)): "early evening",
    (dt.time(18), None): "late evening",
    (dt.time(11, 30), dt.time(13, 30)): "around lunch",
}


def _describe_times(not_before: dt.time | None, before: dt.time | None, draft: _Draft) -> str:
    """ "afternoon", "after 5 PM", "at 3 PM", "between 2 PM and 4 PM" ..."""
    window = (not_before, before)
    if draft.at_phrase and window == draft.at_window:
        return draft.at_phrase
    explicit = draft.not_before is not None or draft.before is not None
    if not explicit and window in _NAMED_WINDOWS:
        word = _NAMED_WINDOWS[window]
        if "weekday" in draft.day_words:
            return word + "s"  # "weekday evenings"
        if draft.day_words in (["early"], ["late"]):
            return f"{draft.day_words[0]} in the day"
        return word
    if not_before and before:
        return f"between {formats.time_of_day(not_before)} and {formats.time_of_day(before)}"
    if not_before:
        return f"after {formats.time_of_day(not_before)}"
    if before:
        return f"before {formats.time_of_day(before)}"
    return ""
