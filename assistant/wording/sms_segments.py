"""SMS segment arithmetic and splitting long replies at sentence boundaries.

GSM-7 fits 160 characters in one segment (153 per segment once concatenated);
a single character outside GSM-7 (an emoji, a curly quote) switches the whole
message to UCS-2: 70 per segment, 67 when concatenated, counted in UTF-16 units.
"""

from __future__ import annotations

import re

_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each costs two septets (escape + char)

# Sentences end at . ! ? (optionally followed by quotes/brackets) or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")

MAX_SEGMENTS_PER_MESSAGE = 3


def is_gsm7(text: str) -> bool:
    return all(char in _GSM7_BASIC or char in _GSM7_EXTENDED for char in text)


def _units(text: str, gsm: bool) -> int:
    if gsm:
        return sum(2 if char in _GSM7_EXTENDED else 1 for char in text)
    return len(text.encode("utf-16-le")) // 2


def segment_count(text: str) -> int:
    gsm = is_gsm7(text)
    units = _units(text, gsm)
    single, multi = (160, 153) if gsm else (70, 67)
    if units <= single:
        return 1
    return -(-units // multi)


def _fits(text: str, max_segments: int) -> bool:
    return segment_count(text) <= max_segments


def _hard_split(text: str, max_segments: int) -> list[str]:
    """A single sentence too long for a message: split at spaces (or anywhere, for a long URL)."""
    parts: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _fits(candidate, max_segments):
            current = candidate
            continue
        if current:
            parts.append(current)
        while not _fits(word, max_segments):
            cut = len(word)
            while cut > 1 and not _fits(word[:cut], max_segments):
                cut -= 1
            parts.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        parts.append(current)
    return parts


def split_message(text: str, max_segments: int = MAX_SEGMENTS_PER_MESSAGE) -> list[str]:
    """Split a reply into texts of at most `max_segments` segments each, at sentence
    boundaries where possible, keeping line-based lists (numbered options) together."""
    text = text.strip()
    if _fits(text, max_segments):
        return [text]
    sentences = [piece.strip() for piece in _SENTENCE_END.split(text) if piece.strip()]
    separators = [match.group(0) for match in _SENTENCE_END.finditer(text)]
    messages: list[str] = []
    current = ""
    for index, sentence in enumerate(sentences):
        joiner = "\n" if index and "\n" in separators[index - 1] else " "
        candidate = f"{current}{joiner}{sentence}" if current else sentence
        if _fits(candidate, max_segments):
            current = candidate
            continue
        if current:
            messages.append(current)
        if _fits(sentence, max_segments):
            current = sentence
        else:
            *whole, current = _hard_split(sentence, max_segments)
            messages.extend(whole)
    if current:
        messages.append(current)
    return messages
