"""Carrier keywords a texter can send, classified the way Twilio's Advanced Opt-Out does,
except single-word CANCEL: for a therapy practice that means "cancel my appointment"."""

from __future__ import annotations

import enum
import re


class Keyword(enum.Enum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


OPT_OUT_WORDS = frozenset({"stop", "stopall", "unsubscribe", "end", "quit"})
OPT_IN_WORDS = frozenset({"start", "unstop", "yes"})
HELP_WORDS = frozenset({"help", "info"})

_TRIM = re.compile(r"^[\s\W_]+|[\s\W_]+$")


def classify(body: str) -> tuple[Keyword, str] | None:
    """(kind, the keyword) when the whole message is a single keyword, else None."""
    word = _TRIM.sub("", body).lower()
    if not word or " " in word:
        return None
    if word in OPT_OUT_WORDS:
        return Keyword.OPT_OUT, word.upper()
    if word in OPT_IN_WORDS:
        return Keyword.OPT_IN, word.upper()
    if word in HELP_WORDS:
        return Keyword.HELP, word.upper()
    return None
