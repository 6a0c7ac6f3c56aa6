"""The English catalog's building blocks: how the actions put a session and a list of times
together, and how a client's wish for a time is said back ("openings for Friday afternoon").
Word order is the language's, so these are wording too, not code.

Merged into the English catalog by `assistant.wording.catalog`; same rules as `en.py`.
"""

from __future__ import annotations

from types import MappingProxyType

MESSAGES = MappingProxyType(
    {
        # How the actions put a session and a list of times together (word order is the language's).
        "action.session.description": "{when} {how}{with_clinician}",
        "action.scheduling.for_wanted": " for {wanted}",
        "action.scheduling.numbered_option": "{number}. {when}",
        # A client's wish for a time, as the bot says it back ("openings for Friday afternoon").
        "preference.tonight": "tonight",
        "preference.weekend": "weekend",
        "preference.the_weekend": "the weekend",
        "preference.weekday": "weekday",
        "preference.weekdays": "weekdays",
        "preference.any_day_but": "any day but {days}",
        "preference.either": "{first} or {second}",
        "preference.list": "{items} or {last}",
        "preference.plural": "{word}s",
        "preference.early_or_late_in_the_day": "{word} in the day",
        "preference.between": "between {start} and {end}",
        "preference.after": "after {time}",
        "preference.before": "before {time}",
        "preference.window.morning": "morning",
        "preference.window.afternoon": "afternoon",
        "preference.window.evening": "evening",
        "preference.window.early_morning": "early morning",
        "preference.window.late_morning": "late morning",
        "preference.window.early_afternoon": "early afternoon",
        "preference.window.late_afternoon": "late afternoon",
        "preference.window.early_evening": "early evening",
        "preference.window.late_evening": "late evening",
        "preference.window.around_lunch": "around lunch",
    }
)
