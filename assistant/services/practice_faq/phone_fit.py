"""An answer kept to one text for SMS and calls.

A web chat shows the practice's whole answer; a text costs segments and a call is heard
once, so there the answer is cut at a sentence boundary to fit one message of the usual
three segments, the link kept (a call texts it), and the client told where the rest is.
"""

from __future__ import annotations

import re

from assistant.wording import sms_segments
from assistant.wording.catalog import text

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _fits(candidate: str) -> bool:
    return sms_segments.segment_count(candidate) <= sms_segments.MAX_SEGMENTS_PER_MESSAGE


def _join(body: str, link_line: str | None) -> str:
    return f"{body}\n{link_line}" if link_line else body


def fit_for_phone(body: str, link_line: str | None) -> str:
    """`body` (and the link line) when they fit one text; else the leading sentences that do,
    with a note that there is more.  A first sentence too long on its own is cut at a word."""
    whole = _join(body, link_line)
    if _fits(whole):
        return whole
    more = text("faq.more_on_web")
    kept = ""
    for sentence in _SENTENCE_END.split(body.strip()):
        candidate = f"{kept} {sentence}" if kept else sentence
        if not _fits(_join(candidate + more, link_line)):
            break
        kept = candidate
    if not kept:
        words: list[str] = []
        for word in body.split():
            if not _fits(_join(" ".join([*words, word]) + "..." + more, link_line)):
                break
            words.append(word)
        kept = " ".join(words) + "..."
    return _join(kept + more, link_line)
