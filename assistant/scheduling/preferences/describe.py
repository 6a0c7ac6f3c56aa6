"""Wording a parsed preference for replies ("openings for ..."): "Friday afternoon", "next week"."""

from __future__ import annotations

import datetime as dt

from assistant.scheduling.preferences.draft import AFTERNOON, EVENING, MORNING, Draft, Window
from assistant.scheduling.preferences.preference import SlotPreference
from assistant.scheduling.preferences.weekdays import WEEKDAY_NAMES
from assistant.wording import formats


def describe(draft: Draft, preference: SlotPreference) -> str:
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


def _describe_weekdays(weekdays: frozenset[int], draft: Draft) -> str:
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


_NAMED_WINDOWS: dict[Window, str] = {
    MORNING: "morning",
    AFTERNOON: "afternoon",
    EVENING: "evening",
    (None, dt.time(10)): "early morning",
    (dt.time(10), dt.time(12)): "late morning",
    (dt.time(12), dt.time(14)): "early afternoon",
    (dt.time(15), dt.time(17)): "late afternoon",
    (dt.time(17), dt.time(19)): "early evening",
    (dt.time(18), None): "late evening",
    (dt.time(11, 30), dt.time(13, 30)): "around lunch",
}


def _describe_times(not_before: dt.time | None, before: dt.time | None, draft: Draft) -> str:
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
