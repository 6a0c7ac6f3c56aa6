"""Rules for "I am not safe": danger, crisis, abuse.

Patterns are written in the language of patterns.py.
"""

from __future__ import annotations

from assistant.screen.crisis.rules.rule import SAFETY, Rule

SAFETY_RULES: tuple[Rule, ...] = (
    Rule(
        "not_safe",
        SAFETY,
        (
            "i @ADV* be? @ADV* not @ADV* safe",
            "not @ADV* feel @ADV* safe",
            "not @ADV* trust @SELF",
            "can not @ADV* keep @SELF @ADV* safe",
            "can not @ADV* stay @ADV* safe",
            "not *{0,4} stay|keep @SELF? @ADV* safe",
            "i @ADV* be not @ADV* feel @ADV* safe",
            "i @ADV* feel|be @ADV* unsafe",
            "not @ADV* safe @ADV* at home",
            "not @ADV* safe @ADV* here|around|rn|tonight|now",
            "not @ADV* safe @ADV* right now",
            "i be @ADV* in @ADV* danger",
            "i be @ADV* a danger to @SELF|@VICTIM|other",
            "i be @ADV* in crisis",
            "i be @ADV* have a @ADV* crisis",
            "mental health @ADV* crisis|emergency",
            "scared|afraid|fear|fearing|terrified @ADV* for my @ADV* life|safety",
            "threaten|threatened|threatening @TO? @ADV* kill|hurt|murder|shoot|stab me",
        ),
        negatable=False,
        not_followed_by=frozenset({"drive", "to", "go", "walk", "travel", "of", "leave", "come", "park", "be"}),
    ),
    Rule(
        "crisis_word",
        SAFETY,
        (
            "crisis",
            "crises",
        ),
    ),
    Rule(
        "not_ok_need_help",
        SAFETY,
        (
            "emergency **{0,5} not @ADV* ok|okay|alright",
            "not @ADV* ok|okay|alright **{0,5} help|emergency",
            "help **{0,4} not @ADV* ok|okay|alright",
        ),
        negatable=False,
        not_followed_by=frozenset({"with", "to", "if", "for"}),
    ),
    Rule(
        "not_safe_bare",
        SAFETY,
        (
            "not @ADV* safe",
            "unsafe",
        ),
        negatable=False,
        clause_end=True,
        at_start=True,
    ),
    Rule(
        "abuse",
        SAFETY,
        (
            "he|she|they @ADV* @ABUSE @ADV* me",
            "@POSSESSIVE @PERSON @ADV* @ABUSE @ADV* me",
            "he|she|they|@PERSON @ADV* be? @ADV* go to? @ADV* @ABUSE|hurt|stab|shoot me",
            "he|she|they|@PERSON @ADV* be @ADV* =hurting|=hitting|=beating|=abusing|=choking me",
        ),
        negatable=True,
        not_followed_by=frozenset(
            {"up", "at", "to", "in", "by", "back", "on", "off", "with", "out", "for", "a", "an", "the", "some", "over"}
        ),
    ),
)
