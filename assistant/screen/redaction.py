"""Remove payment card numbers and US Social Security numbers from a message.

Clients sometimes paste a card number ("can you charge 4242 4242 4242 4242?") or
an SSN into chat.  Neither may be stored or sent on, so the gateway redacts them
before anything else sees the text.  Card candidates must pass the Luhn check,
so phone numbers, order numbers and dates stay as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import luhn

CARD = "card_number"
SSN = "ssn"
CARD_PLACEHOLDER = "[card number removed]"
SSN_PLACEHOLDER = "[SSN removed]"


@dataclass(frozen=True)
class Redaction:
    text: str
    kinds: tuple[str, ...] = ()  # what was removed, each once: "card_number" then "ssn"


# A run of digit groups joined by single spaces or dashes: "4242 4242 4242 4242",
# "4111-1111-1111-1111", "371449635398431".  Card candidates are found inside these.
_DIGIT_RUN = re.compile(r"(?<!\w)\d+(?:(?:[ \t]?-[ \t]?|[ \t]{1,2})\d+)*(?!\w)")
_GROUP = re.compile(r"\d+")
# SSN written with separators; the same separator both times ("123-45-6789", "123 45 6789").
_SSN_SEPARATED = re.compile(r"(?<![\d\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d\w]|-\d)")
# Nine bare digits only count as an SSN when the words before say so.
_SSN_LABELLED = re.compile(
    r"\b(?:ssn|ss#|ss\s*no\.?|social(?:\s+security)?(?:\s+(?:number|no\.?|num|#))?)"
    r"[^\d\n]{0,20}?(?<!\d)(\d{9})(?!\d)",
    re.IGNORECASE,
)


def redact(text: str) -> Redaction:
    """`text` with card numbers and SSNs replaced by placeholders, plus what was removed."""
    kinds: list[str] = []
    text = _redact_cards(text, kinds)
    text = _redact_ssns(text, kinds)
    return Redaction(text, tuple(kinds))


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies (python-stdnum's)."""
    return bool(luhn.is_valid(digits))


def _is_card(digits: str) -> bool:
    # All-zero strings pass Luhn but are never cards.
    return 13 <= len(digits) <= 19 and digits.strip("0") != "" and luhn_valid(digits)


def _redact_cards(text: str, kinds: list[str]) -> str:
    pieces: list[str] = []
    last = 0
    for run in _DIGIT_RUN.finditer(text):
        for start, end in _card_spans(run.group(), run.start()):
            pieces.append(text[last:start])
            pieces.append(CARD_PLACEHOLDER)
            last = end
            if CARD not in kinds:
                kinds.append(CARD)
    pieces.append(text[last:])
    return "".join(pieces)


def _card_spans(run: str, offset: int) -> list[tuple[int, int]]:
    """Card numbers inside one run of digit groups, as absolute (start, end) spans.

    A run can hold more than a card ("call 555 123 4567 4242 4242 4242 4242"), so
    try consecutive groups, longest first from each starting group.
    """
    groups = [(m.start() + offset, m.end() + offset, m.group()) for m in _GROUP.finditer(run)]
    if _is_card("".join(group[2] for group in groups)):  # the usual case: the run is the card
        return [(groups[0][0], groups[-1][1])]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(groups):
        digits = ""
        candidates: list[int] = []
        for j in range(i, len(groups)):
            digits += groups[j][2]
            if len(digits) > 19:
                break
            if _is_card(digits):
                candidates.append(j)
        if candidates:
            found = candidates[-1]
            spans.append((groups[i][0], groups[found][1]))
            i = found + 1
        else:
            i += 1
    return spans


def _redact_ssns(text: str, kinds: list[str]) -> str:
    def separated(match: re.Match[str]) -> str:
        if not _valid_ssn(match.group(1), match.group(3), match.group(4)):
            return match.group(0)
        _note(kinds, SSN)
        return SSN_PLACEHOLDER

    def labelled(match: re.Match[str]) -> str:
        digits = match.group(1)
        if not _valid_ssn(digits[:3], digits[3:5], digits[5:]):
            return match.group(0)
        _note(kinds, SSN)
        start = match.start(1) - match.start(0)
        return match.group(0)[:start] + SSN_PLACEHOLDER

    text = _SSN_SEPARATED.sub(separated, text)
    return _SSN_LABELLED.sub(labelled, text)


def _valid_ssn(area: str, group: str, serial: str) -> bool:
    """SSA rules: no area 000, 666 or 900-999, no group 00, no serial 0000."""
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def _note(kinds: list[str], kind: str) -> None:
    if kind not in kinds:
        kinds.append(kind)
