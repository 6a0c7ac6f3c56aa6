"""Reading times of day: "afternoon", "after 5", "between 2 and 4", "at 3pm", "around noon".

Clinic hours are 8:00-20:00, so a bare hour 1-7 means PM, 8-11 AM and 12 noon.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from assistant.scheduling.preferences.draft import AFTERNOON, EVENING, MORNING, Draft, blank
from assistant.wording import formats

_HOUR = r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|a|p)?(?![\d:])"
_MERIDIEM_WORDS = r"(?:\s*(?:in\s+the\s+)?(morning|afternoon|evening|night))?"

_Rule = tuple[str, Callable[[re.Match[str]], None]]


def read_times(text: str, draft: Draft) -> str:
    """Parts of the day and clock bounds; returns the text with them blanked out."""

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
    rules: list[_Rule] = [
        (r"\b(?:as early as possible|asap|earliest|soonest)\b", lambda m: None),
        (r"\b(?:early|earlier) (?:in the )?mornings?\b", lambda m: draft.part((None, dt.time(10)), "early morning")),
        (r"\blate (?:in the )?mornings?\b", lambda m: draft.part((dt.time(10), dt.time(12)), "late morning")),
        (r"\bearly (?:in the )?afternoons?\b", lambda m: draft.part((dt.time(12), dt.time(14)), "early afternoon")),
        (r"\blate (?:in the )?afternoons?\b", lambda m: draft.part((dt.time(15), dt.time(17)), "late afternoon")),
        (r"\bearly (?:in the )?evenings?\b", lambda m: draft.part((dt.time(17), dt.time(19)), "early evening")),
        (r"\blate (?:in the )?(?:evenings?|nights?)\b", lambda m: draft.part((dt.time(18), None), "late evening")),
        (r"\bafter (?:lunch|lunchtime)\b", lambda m: draft.bound(dt.time(13))),
        (r"\bbefore (?:lunch|lunchtime)\b", lambda m: draft.bound(before=dt.time(12))),
        (
            r"\b(?:at |around |over )?(?:lunch ?time|lunch|midday|mid day)\b",
            lambda m: draft.part((dt.time(11, 30), dt.time(13, 30)), "around lunch"),
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
        (r"\b(?:mornings?|morn|mornin|first thing)\b", lambda m: draft.part(MORNING, "morning")),
        (r"\b(?:afternoons?|aft|arvo)\b", lambda m: draft.part(AFTERNOON, "afternoon")),
        (r"(?<!last )\b(?:evenings?|nights?)\b", lambda m: draft.part(EVENING, "evening")),
        (r"\b(?:early in the day|early|earlyish)\b", lambda m: draft.part((None, dt.time(10)), "early")),
        (
            r"(?<!running )(?<!im )(?<!am )(?<!be )(?<!is )(?<!was )(?<!been )(?<!too )"
            r"\b(?:late in the day|late|lateish)\b"
            r"(?! (?:fee|cancel|reply|response|payment|notice|charge|again))",
            lambda m: draft.part(EVENING, "late"),
        ),
    ]
    for pattern, action in rules:
        for match in list(re.finditer(pattern, text)):
            action(match)
        text = re.sub(pattern, blank, text)
    return text


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
