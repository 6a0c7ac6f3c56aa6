"""Wording a parsed preference for replies ("openings for ..."): "Friday afternoon", "next week"."""

from __future__ import annotations

import datetime as dt

from assistant.scheduling.preferences.draft import AFTERNOON, EVENING, MORNING, Draft, Window
from assistant.scheduling.preferences.preference import SlotPreference
from assistant.scheduling.preferences.weekdays import WEEKDAY_NAMES
from assistant.wording import formats
from assistant.wording.catalog import text


def describe(draft: Draft, preference: SlotPreference) -> str:
    """A short phrase for replies ("openings for ..."): "Friday afternoon", "next week"."""
    days = _describe_weekdays(preference.weekdays, draft)
    when = _describe_times(preference.not_before, preference.before, draft)
    dates = " or ".join(dict.fromkeys(words for _, words in sorted(draft.date_words)))
    one_day = preference.earliest_date is not None and preference.earliest_date == preference.latest_date
    if one_day:
        # "tomorrow morning", "Fri Nov 27 after 5 PM": the date already says the weekday.
        if dates == "today" and when == text("preference.window.evening") and not days:
            return text("preference.tonight")
        return " ".join(part for part in (dates, when) if part)
    if "weekend" in dates and preference.weekdays == frozenset({5, 6}):
        days = ""  # "this weekend" already says it
    if days == text("preference.weekend") and not (when or dates):
        return text("preference.the_weekend")
    return " ".join(part for part in (days, when, dates) if part)


def _describe_weekdays(weekdays: frozenset[int], draft: Draft) -> str:
    if not weekdays:
        return ""
    if weekdays == frozenset({5, 6}) and "weekend" in draft.day_words:
        return text("preference.weekend")
    if weekdays == frozenset(range(5)) and not draft.excluded_weekdays:
        timed = draft.day_parts or draft.not_before or draft.before
        return text("preference.weekday" if timed else "preference.weekdays")  # "weekday mornings"
    names = [WEEKDAY_NAMES[day] for day in sorted(weekdays)]
    if draft.excluded_weekdays and len(names) > 2:
        excluded = _either([WEEKDAY_NAMES[day] for day in sorted(draft.excluded_weekdays)])
        return text("preference.any_day_but", days=excluded)
    return _either(names)


def _either(names: list[str]) -> str:
    """ "Monday", "Monday or Friday", "Monday, Tuesday or Friday"."""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return text("preference.either", first=names[0], second=names[1])
    return text("preference.list", items=", ".join(names[:-1]), last=names[-1])


_NAMED_WINDOWS: dict[Window, str] = {  # catalog keys, preference.window.*
    MORNING: "morning",
    AFTERNOON: "afternoon",
    EVENING: "evening",
    (None, dt.time(10)): "early_morning",
    (dt.time(10), dt.time(12)): "late_morning",
    (dt.time(12), dt.time(14)): "early_afternoon",
    (dt.time(15), dt.time(17)): "late_afternoon",
    (dt.time(17), dt.time(19)): "early_evening",
    (dt.time(18), None): "late_evening",
    (dt.time(11, 30), dt.time(13, 30)): "around_lunch",
}


def _describe_times(not_before: dt.time | None, before: dt.time | None, draft: Draft) -> str:
    """ "afternoon", "after 5 PM", "at 3 PM", "between 2 PM and 4 PM" ..."""
    window = (not_before, before)
    if draft.at_phrase and window == draft.at_window:
        return draft.at_phrase
    explicit = draft.not_before is not None or draft.before is not None
    if not explicit and window in _NAMED_WINDOWS:
        word = text(f"preference.window.{_NAMED_WINDOWS[window]}")
        if "weekday" in draft.day_words:
            return text("preference.plural", word=word)  # "weekday evenings"
        if draft.day_words in (["early"], ["late"]):
            return text("preference.early_or_late_in_the_day", word=draft.day_words[0])
        return word
    if not_before and before:
        return text("preference.between", start=formats.time_of_day(not_before), end=formats.time_of_day(before))
    if not_before:
        return text("preference.after", time=formats.time_of_day(not_before))
    if before:
        return text("preference.before", time=formats.time_of_day(before))
    return ""
