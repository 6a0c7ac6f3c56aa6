"""Reading weekdays: "friday", "fri", "fridy", "next friday", "not monday", "anything but friday"."""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz.distance import OSA

from assistant.scheduling.preferences.draft import Draft
from assistant.wording import formats

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


def read_weekdays(text: str, today: dt.date, draft: Draft) -> None:
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
