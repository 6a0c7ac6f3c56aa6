"""The English catalog's entries for a "yes" that could not be carried out (issue 14): the time
was taken, or the session changed, between the offer and the answer. Each says what happened;
the reply then offers fresh times and a "Talk to a person" button, so it is never a dead end.

Merged into the English catalog by `assistant.wording.catalog`; same rules as `en.py`.
"""

from __future__ import annotations

from types import MappingProxyType

MESSAGES = MappingProxyType(
    {
        "confirm.slot_taken": (
            "Sorry, {when} was taken by someone else just before your answer, so nothing has changed."
        ),
        "confirm.session_cancelled": (
            "Your session on {when} was cancelled since I offered those times, so there is nothing to move."
        ),
        "confirm.session_moved": (
            "Your session on {when} was changed since I offered those times, so nothing has changed from here."
        ),
        "confirm.session_started": "Your session on {when} has already started, so it can't be moved here.",
        "confirm.now_instead": "Your next session is {session}.",
        "confirm.book_instead": "Would you like to book a new one?",
        "confirm.person_can_help": "A person from our team can help with this.",
    }
)
