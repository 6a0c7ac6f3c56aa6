"""The crisis screen's decision: which rules fire on a message, and why.

Every match is checked against the figures of speech, the rule's own conditions
(clause end, neighbours, position) and negation in front of it; see __init__.py for
the whole pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from assistant.screen.crisis.context import ABILITY, BRIDGE, BRIDGE_SPAN, CLAUSE_BREAK, NEGATIONS, OPENERS
from assistant.screen.crisis.keys import figure_matcher, nlp, prepare, rule_matcher
from assistant.screen.crisis.rules import RULES
from assistant.screen.crisis.rules.rule import CATEGORY_REASON, Rule

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class CrisisAssessment:
    is_crisis: bool
    matched: tuple[str, ...] = ()  # rule names (never message text), in rule-table order
    reason: str = ""


def assess(text: str) -> CrisisAssessment:
    """Whether `text` contains crisis language; `matched` names the rules that fired."""
    if not text or not text.strip():
        return CrisisAssessment(False, (), "")
    doc = nlp()(prepare(text))
    fired: list[str] = []
    negated: list[str] = []
    rules = _rules_by_name()
    figures = [(start, end) for _, start, end in figure_matcher()(doc)]
    for match_id, start, end in rule_matcher()(doc):
        if any(start < f_end and f_start < end for f_start, f_end in figures):
            continue
        rule = rules[doc.vocab.strings[match_id]]
        verdict = _check(rule, doc, start, end)
        if verdict is True and rule.name not in fired:
            fired.append(rule.name)
        elif verdict == "negated" and rule.name not in negated:
            negated.append(rule.name)
    order = {rule.name: index for index, rule in enumerate(RULES)}
    fired.sort(key=order.__getitem__)
    if fired:
        categories: list[str] = []
        for name in fired:
            category = CATEGORY_REASON[rules[name].category]
            if category not in categories:
                categories.append(category)
        return CrisisAssessment(True, tuple(fired), "; ".join(categories))
    if negated:
        return CrisisAssessment(False, (), "only negated mentions (e.g. 'not suicidal')")
    return CrisisAssessment(False, (), "")


def _check(rule: Rule, doc: Doc, start: int, end: int) -> bool | str:
    """True if the match counts, "negated" if a negation cancels it, False otherwise."""
    if rule.not_after_number and start > 0 and doc[start - 1].like_num:
        return False
    if rule.at_start and any(not token.is_punct and token.norm_ not in OPENERS for token in doc[:start]):
        return False
    after = doc[end] if end < len(doc) else None
    if after is not None and (after.norm_ in rule.not_followed_by or after.lower_ in rule.not_followed_by):
        return False
    if (
        rule.clause_end
        and after is not None
        and not (after.is_punct or after.norm_ in CLAUSE_BREAK or after.lower_ in CLAUSE_BREAK or after.like_num)
    ):
        return False
    if rule.negatable and _negated(doc, start):
        return "negated"
    return True


def _negated(doc: Doc, start: int) -> bool:
    """A negation reached by walking back over bridge words only.

    "i'm not going to hurt myself" -> negated; "no i want to die" -> not, because
    "i" is not a bridge word (the "no" answers something else).
    """
    index = start - 1
    steps = 0
    while index >= 0 and steps < BRIDGE_SPAN:
        token = doc[index]
        key = token.norm_
        if key in NEGATIONS:
            # "can't"/"couldn't" + self-harm verb states inability, not denial.
            return not (key == "not" and index > 0 and doc[index - 1].norm_ in ABILITY)
        if key not in BRIDGE:
            return False
        index -= 1
        steps += 1
    return False


@cache
def _rules_by_name() -> dict[str, Rule]:
    return {rule.name: rule for rule in RULES}
