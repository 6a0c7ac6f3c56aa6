"""Small readers for what clients type during scheduling and verification.

`parse_choice`          "2", "the second one", "the 3pm one"  -> which offered option
`parse_date_of_birth`   "4/12/90", "april 12 1990"            -> a date
`normalize_name`        "jordan  LEE." == "Jordan Lee" for comparisons
`split_identity`        "Jordan Lee 4/12/1990"                -> (name, date of birth)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from assistant.wording import formats

# ---------------------------------------------------------------------------------------
# Choosing one of the offered options
# ---------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
    "seventh": 7,
    "7th": 7,
    "eighth": 8,
    "8th": 8,
    "ninth": 9,
    "9th": 9,
    "tenth": 10,
    "10th": 10,
}
# "one" is a number only where it is not standing in for a noun ("the first one").
_ONE_AS_NUMBER_AFTER = frozenset(
    {
        "",
        "option",
        "opt",
        "number",
        "num",
        "no",
        "slot",
        "choice",
        "take",
        "pick",
        "choose",
        "want",
        "with",
        "do",
        "ok",
        "okay",
        "um",
        "uh",
        "yes",
        "yeah",
        "yep",
        "just",
    }
)
_WEEKDAY_ABBR = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_WORDS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "wed": 2,
    "weds": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
# Times in a message: "3pm", "3:00", "10 am", "at 4", "the 4 o'clock".
_TIME_IN_TEXT = re.compile(
    r"(?<![\d:/])(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p|o'?clock)(?![a-z])"
    r"|(?<![\d:/])(\d{1,2}):(\d{2})(?!\d)"
    r"|\b(?:at|@|around)\s+(\d{1,2})(?![\d:/])"
    r"|\b(noon)\b"
)
# Times in an option label such as "Fri Nov 27, 3:00 PM".
_TIME_IN_LABEL = re.compile(r"(\d{1,2}):(\d{2})\s*([AaPp])\.?[Mm]\.?")


def parse_choice(text: str, option_count: int, option_labels: list[str] | None = None) -> int | None:
    """The 1-based option the client picked, or None if unclear or out of range.

    Reads numbers ("2", "#2", "option 2", "number two"), ordinals ("the second one",
    "2nd", "last"), and, given the labels shown ("Fri Nov 27, 3:00 PM"), times and
    weekdays ("the 3pm one", "3:00", "the friday one").  Several clues narrow each
    other ("the friday one at 3pm"); clues that disagree ("the 3pm one, option 2" when
    3 PM is option 1) or alternatives ("2 or 3") give None: better to ask again.
    """
    if option_count < 1:
        return None
    lowered = text.lower().replace("\u2019", "'")
    labels = option_labels or []
    clues: list[set[int]] = []  # each mention: the options it could mean

    # Times first, then blank them out so "3pm" is not also read as option 3.
    times = list(_TIME_IN_TEXT.finditer(lowered))
    for match in times:
        at_time = _options_at_time(match, labels)
        if labels and not at_time:
            return None  # a time that is not on offer: do not guess
        clues.append(at_time)
    for match in reversed(times):
        lowered = lowered[: match.start()] + " time " + lowered[match.end() :]

    words = re.findall(r"[a-z]+|\d+(?:st|nd|rd|th)?", lowered)
    for index, word in enumerate(words):
        previous = words[index - 1] if index else ""
        if labels and previous in _MONTHS and word.rstrip("stndrh").isdigit():
            clues.append(_options_on_day(int(word.rstrip("stndrh")), labels))  # "nov 27"
        elif word in _ORDINALS:
            clues.append({_ORDINALS[word]})
        elif word.isdigit():
            clues.append({int(word)})
        elif word in _NUMBER_WORDS and (word != "one" or previous in _ONE_AS_NUMBER_AFTER):
            clues.append({_NUMBER_WORDS[word]})
        elif word in ("last", "latest", "later", "final"):
            clues.append({option_count})
        elif word in ("earliest", "earlier"):
            clues.append({1})
        elif word in ("middle", "mid") and option_count % 2 == 1:
            clues.append({option_count // 2 + 1})
        elif word in _WEEKDAY_WORDS and labels:
            clues.append(_options_on_weekday(_WEEKDAY_WORDS[word], labels))
        elif word in ("morning", "afternoon", "evening") and labels:
            clues.append(_options_in_part_of_day(word, labels))
    if not clues or "or" in words:
        return None
    picks = set.intersection(*clues)
    if len(picks) != 1:
        return None
    choice = picks.pop()
    return choice if 1 <= choice <= option_count else None


def _options_at_time(match: re.Match[str], labels: list[str]) -> set[int]:
    hour, minute, meridiem = _time_parts(match)
    found: set[int] = set()
    for index, label in enumerate(labels, 1):
        shown = _TIME_IN_LABEL.search(label)
        if not shown:
            continue
        label_hour = int(shown.group(1)) % 12 + (12 if shown.group(3).lower() == "p" else 0)
        if int(shown.group(2)) != minute and minute is not None:
            continue
        if meridiem is None:
            matches = label_hour % 12 == hour % 12  # "the 3:00 one", "at 4": either half-day
        else:
            matches = label_hour == hour % 12 + (12 if meridiem == "p" else 0)
        if matches:
            found.add(index)
    return found


def _time_parts(match: re.Match[str]) -> tuple[int, int | None, str | None]:
    """(hour, minute or None when unspecified, 'a'/'p'/None)."""
    if match.group(1):
        suffix = match.group(3).replace(".", "")
        meridiem = suffix[0] if suffix[0] in "ap" else None
        minute = int(match.group(2)) if match.group(2) else None  # "3pm" matches 3:30 PM too
        return int(match.group(1)), minute, meridiem
    if match.group(4):
        return int(match.group(4)), int(match.group(5)), None
    if match.group(6):
        return int(match.group(6)), None, None
    return 12, 0, "p"  # noon


def _options_on_day(day: int, labels: list[str]) -> set[int]:
    return {index for index, label in enumerate(labels, 1) if re.search(rf"[A-Za-z]{{3}} {day}(?!\d)", label)}


def _options_on_weekday(weekday: int, labels: list[str]) -> set[int]:
    abbr = _WEEKDAY_ABBR[weekday]
    return {index for index, label in enumerate(labels, 1) if label.lower().startswith(abbr)}


def _options_in_part_of_day(part: str, labels: list[str]) -> set[int]:
    found: set[int] = set()
    for index, label in enumerate(labels, 1):
        shown = _TIME_IN_LABEL.search(label)
        if not shown:
            continue
        hour = int(shown.group(1)) % 12 + (12 if shown.group(3).lower() == "p" else 0)
        if (
            (part == "morning" and hour < 12)
            or (part == "afternoon" and 12 <= hour < 17)
            or (part == "evening" and hour >= 17)
        ):
            found.add(index)
    return found


# ---------------------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------------------

_MONTHS = {name.lower(): number for number, name in enumerate(formats.month_names(), 1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
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
    found = _find_date(text, today or dt.date.today())
    return found[0] if found else None


def _find_date(text: str, today: dt.date) -> tuple[dt.date, tuple[int, int]] | None:
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
        month = _MONTHS.get(month_text.lower().rstrip("."), 0)
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


# ---------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------


def normalize_name(text: str) -> str:
    """A comparison key for a name: "  José O'Neil-SMITH. " -> "jose oneil smith"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.casefold().replace("'", "").replace("\u2019", "")
    plain = re.sub(r"[^\w\s]|_|\d", " ", plain)
    return " ".join(plain.split())


# Words around a name or a date that belong to neither ("my name is", "dob", "born on").
_DATE_WORDS = (
    r"(?:and )?(?:my )?(?:date of birth|d\.?o\.?b\.?|birthday|birth date|birthdate"
    r"|bday|b-day)(?:'?s| is)?|(?:and )?(?:i was )?born(?: on| in)?"
)
_POLITE = r"thanks|thank you|please|pls"
# Only at the start ("i'm Jordan Lee"): at the end these could be a surname ("Jordan Im").
_LEADING_ONLY = (
    r"hi|hello|hey|hiya|yes|yeah|yep|ok|okay|sure|sorry"
    r"|(?:my )?(?:full |legal |first and last )?name(?:'?s| is)?"
    r"|this is|it'?s|it is|i'?m|i am"
)
_SPACE_OR_PUNCT = r"[\s,.;:!?()\[\]\-]*"
_LEADING_FILLER = re.compile(
    rf"^{_SPACE_OR_PUNCT}(?:{_LEADING_ONLY}|{_DATE_WORDS}|{_POLITE})(?![\w']){_SPACE_OR_PUNCT}", re.IGNORECASE
)
_TRAILING_FILLER = re.compile(
    rf"{_SPACE_OR_PUNCT}(?<![\w'])(?:{_DATE_WORDS}|{_POLITE}|and|is|on){_SPACE_OR_PUNCT}$", re.IGNORECASE
)


def split_identity(text: str, *, today: dt.date | None = None) -> tuple[str | None, dt.date | None]:
    """Pull a name and a date of birth out of one message; either may be None.

    "Jordan Lee 4/12/1990", "jordan lee, dob april 12 1990",
    "my name is Jordan Lee and my birthday is 04/12/1990".  The name keeps the
    client's spelling; compare names with `normalize_name`.
    """
    text = text.replace("\u2019", "'")
    found = _find_date(text, today or dt.date.today())
    date_of_birth = None
    segments = [text]
    if found:
        date_of_birth, (start, end) = found
        segments = [text[:start], text[end:]]
    # The name is whichever side of the date still has words once fillers are gone.
    for segment in segments:
        name = _strip_fillers(segment)
        if name:
            return name, date_of_birth
    return None, date_of_birth


def _strip_fillers(segment: str) -> str:
    previous = None
    while previous != segment:
        previous = segment
        segment = _LEADING_FILLER.sub("", segment)
        segment = _TRAILING_FILLER.sub("", segment)
    # Keep letters, apostrophes and hyphens inside names; drop digits and other marks.
    segment = re.sub(r"[^\w'\-\s]|\d|_", " ", segment)
    words = [word.strip("'-") for word in segment.split()]
    return " ".join(word for word in words if word)
