"""Parsing a client's wishes: "next friday afternoon", "any tuesday after 5", "fri or mon morning".

A SlotPreference holds one set of weekdays, one date range and one time window, so
"fri or mon morning" becomes Friday-or-Monday mornings: close enough for a slot search.
"""

from __future__ import annotations

import datetime as dt
import re

from assistant.scheduling.preferences.dates import read_dates
from assistant.scheduling.preferences.describe import describe
from assistant.scheduling.preferences.draft import Draft, Window, blank
from assistant.scheduling.preferences.preference import SlotPreference
from assistant.scheduling.preferences.times import read_times
from assistant.scheduling.preferences.weekdays import read_weekdays


def parse_preference(text: str, today: dt.date) -> SlotPreference:
    """Read day and time wishes from a client's message; empty if it names none.

    `today` is the practice-local date; "tomorrow", "next week" etc. count from it.
    """
    prepared = _prepare(text)
    if not prepared:
        return SlotPreference()
    draft = Draft()
    remaining = _blank_current_appointment(prepared)
    remaining = read_dates(remaining, today, draft)
    remaining = read_times(remaining, draft)
    read_weekdays(remaining, today, draft)
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
    return _CURRENT_APPOINTMENT.sub(blank, text)


def _finish(draft: Draft) -> SlotPreference:
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
        description=describe(draft, preference),
    )


def _union(parts: list[Window]) -> Window:
    """ "morning or evening": the smallest window covering every part mentioned."""
    if not parts:
        return None, None
    starts = [start for start, _ in parts]
    ends = [end for _, end in parts]
    start = None if None in starts else min(s for s in starts if s is not None)
    end = None if None in ends else max(e for e in ends if e is not None)
    return start, end
