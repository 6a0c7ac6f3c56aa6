"""Which of the offered options a client picked: "2", "the second one", "the 3pm one"."""

from __future__ import annotations

import re

from assistant.scheduling.parsing.birth_date import MONTHS

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
    """The 1-based option the client picked, or None if unclear, ambiguous or out of range
    (`read_choice` tells the ambiguous case apart)."""
    candidates = read_choice(text, option_count, option_labels)
    return next(iter(candidates)) if len(candidates) == 1 else None


def read_choice(text: str, option_count: int, option_labels: list[str] | None = None) -> frozenset[int]:
    """The options (1-based) the client's words could mean: one when the pick is clear,
    several when it is ambiguous ("friday's" with two Friday times: ask which, listing
    those), none when nothing readable points at an offered option.

    Reads numbers ("2", "#2", "option 2", "number two"), ordinals ("the second one",
    "2nd", "last"), and, given the labels shown ("Fri Nov 27, 3:00 PM"), times and
    weekdays ("the 3pm one", "3:00", "the friday one").  Several clues narrow each
    other ("the friday one at 3pm"); clues that disagree ("the 3pm one, option 2" when
    3 PM is option 1) or alternatives ("2 or 3") give nothing: better to ask again.
    """
    if option_count < 1:
        return frozenset()
    lowered = text.lower().replace("\u2019", "'")
    labels = option_labels or []
    clues: list[set[int]] = []  # each mention: the options it could mean
    # "the later one", "the earliest": relative to the other clues ("the later one on friday").
    relative: list[str] = []

    # Times first, then blank them out so "3pm" is not also read as option 3.
    times = list(_TIME_IN_TEXT.finditer(lowered))
    for match in times:
        at_time = _options_at_time(match, labels)
        if labels and not at_time:
            return frozenset()  # a time that is not on offer: do not guess
        clues.append(at_time)
    for match in reversed(times):
        lowered = lowered[: match.start()] + " time " + lowered[match.end() :]

    words = re.findall(r"[a-z]+|\d+(?:st|nd|rd|th)?", lowered)
    for index, word in enumerate(words):
        previous = words[index - 1] if index else ""
        if labels and previous in MONTHS and word.rstrip("stndrh").isdigit():
            clues.append(_options_on_day(int(word.rstrip("stndrh")), labels))  # "nov 27"
        elif word in _ORDINALS:
            clues.append({_ORDINALS[word]})
        elif word.isdigit():
            clues.append({int(word)})
        elif word in _NUMBER_WORDS and (word != "one" or previous in _ONE_AS_NUMBER_AFTER):
            clues.append({_NUMBER_WORDS[word]})
        elif word in ("last", "latest", "later", "final"):
            relative.append("latest")
        elif word in ("earliest", "earlier"):
            relative.append("earliest")
        elif word in ("middle", "mid") and option_count % 2 == 1:
            clues.append({option_count // 2 + 1})
        elif word in _WEEKDAY_WORDS and labels:
            clues.append(_options_on_weekday(_WEEKDAY_WORDS[word], labels))
        elif word in ("morning", "afternoon", "evening") and labels:
            clues.append(_options_in_part_of_day(word, labels))
    if (not clues and not relative) or "or" in words or len(set(relative)) > 1:
        return frozenset()
    picks = set.intersection(*clues) if clues else set(range(1, option_count + 1))
    if relative and picks:  # the options are shown in time order
        picks = {max(picks) if relative[0] == "latest" else min(picks)}
    if any(not 1 <= pick <= option_count for pick in picks):
        return frozenset()  # "4" of three: not a pick, and not one to narrow down either
    return frozenset(picks)


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
