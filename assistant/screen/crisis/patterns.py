"""The crisis rules' pattern language, compiled to spaCy `Matcher` patterns.

One token per word:
  word        token key equals word          a|b|c     key is one of these
  =word       exact lowercase surface form   ~word     fuzzy (<= 2 edits) on the key
  @CLASS      key in CLASSES[CLASS]          *         any one non-punctuation token
                                             **        any one token, even punctuation
  suffix ?    optional    suffix *   zero or more    suffix {0,3}  repeat range
An alternation covers ONE token: "go on|keep go" means go, on-or-keep, go.  Write
multi-word alternatives as separate patterns.  Keys are described in keys.py, word
classes in vocabulary.py.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.screen.crisis.context import NEGATIONS
from assistant.screen.crisis.vocabulary import CLASSES


def compile_pattern(pattern: str) -> list[dict[str, Any]]:
    """Turn one line of the pattern language into a spaCy Matcher pattern."""
    compiled: list[dict[str, Any]] = []
    for word in pattern.split():
        op = None
        range_match = re.fullmatch(r"(.*?)(\{\d*,\d*\})", word)
        if range_match:
            word, op = range_match.group(1), range_match.group(2)
        elif len(word) > 1 and word[-1] in "?*+":
            word, op = word[:-1], word[-1]
        spec = _token_spec(word)
        if op:
            spec["OP"] = op
        compiled.append(spec)
    return compiled


def _token_spec(word: str) -> dict[str, Any]:
    if word == "*":
        # Fillers never swallow punctuation or a negation ("take [not] all my pills").
        return {"IS_PUNCT": False, "NORM": {"NOT_IN": sorted(NEGATIONS)}}
    if word == "**":
        return {}  # any token at all, punctuation included: spans two short clauses
    options = word.split("|")
    if all(option.startswith("=") for option in options):
        return {"LOWER": {"IN": [option[1:] for option in options]}}
    if len(options) == 1 and word.startswith("~"):
        return {"NORM": {"FUZZY2": word[1:]}}
    keys: list[str] = []
    for option in options:
        if option.startswith(("=", "~")):
            raise ValueError(f"cannot mix =/~ with plain keys in {word!r}")
        keys.extend(CLASSES[option[1:]] if option.startswith("@") else (option,))
    return {"NORM": keys[0]} if len(keys) == 1 else {"NORM": {"IN": keys}}
