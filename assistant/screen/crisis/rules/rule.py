"""What one crisis rule is: a named family of patterns, its category, and the checks on it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One named family of crisis phrasings.

    negatable:       a negation shortly before the match cancels it ("i'm not suicidal").
                     False for rules whose wording already contains the negation
                     ("i can't go on", "i don't want to be alive").
    clause_end:      the match must end its clause ("i can't go on" but not
                     "i can't go on friday").
    not_followed_by: keys that disqualify the match when they come right after it
                     ("want to die for", "want to die my hair").
    not_after_number: for abbreviations that collide with units ("30 kms").
    at_start:        the match must open the message ("not safe" as the whole answer).
    """

    name: str
    category: str
    patterns: tuple[str, ...]
    negatable: bool = True
    clause_end: bool = False
    not_followed_by: frozenset[str] = frozenset()
    not_after_number: bool = False
    at_start: bool = False


SUICIDE = "suicide"
SELF_HARM = "self_harm"
HARM_OTHERS = "harm_to_others"
SAFETY = "safety"

CATEGORY_REASON: dict[str, str] = {
    SUICIDE: "possible suicide risk",
    SELF_HARM: "possible self-harm",
    HARM_OTHERS: "possible risk of harm to others",
    SAFETY: "client may not be safe",
}
