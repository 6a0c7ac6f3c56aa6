"""Reading the client's answer to "are you safe right now?" (the safety check-in).

The bot asks that question when the dialogue model read a message as a crisis but the
rule screen did not (docs/crisis.md).  The answer decides what happens next:

    SAFE      "yes", "i'm fine", "lol yes just the portal", "no no i'm ok"
              -> carry on with the client's task
    UNSAFE    "no", "not really", "i don't know", "idk", "not sure", "kind of", "help"
              -> the full crisis protocol (988 / 911, a person alerted)
    UNCLEAR   neither (the client moved on: "how do i reset my password")
              -> the message is handled as usual, and another crisis reading soon after
              goes straight to the full protocol (conversation/crisis_check.py)

Doubt counts as not safe: any sign of "no" or "not sure" wins over a "yes" in the same
answer ("yes... i don't know" is UNSAFE), with one exception people write all the time:
a leading "no" that only waves the question away before an un-negated "i'm fine"
("no no i'm fine, just the portal").  Whatever the rule screen flags is a crisis before
this module is asked.  Written by hand because it is a short, closed vocabulary that has
to be auditable line by line; a classifier trained on a handful of answers would not be.
"""

from __future__ import annotations

import enum
import re


class SafetyAnswer(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    UNCLEAR = "unclear"


_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})

# Phrases are matched on whole words after apostrophes are dropped ("i'm" -> "im").
_SAFE_PHRASES = (
    "yes",
    "yeah",
    "yea",
    "yep",
    "yup",
    "ya",
    "yah",
    "ye",
    "yess",
    "yesss",
    "yas",
    "sure",
    "of course",
    "definitely",
    "absolutely",
    "totally",
    "obviously",
    "i am",
    "im fine",
    "im ok",
    "im okay",
    "im safe",
    "im good",
    "im alright",
    "im all right",
    "i am fine",
    "i am ok",
    "i am okay",
    "i am safe",
    "i am good",
    "i feel safe",
    "fine",
    "ok",
    "okay",
    "k",
    "kk",
    "safe",
    "all good",
    "all fine",
    "doing fine",
    "doing ok",
    "doing okay",
    "its fine",
    "its ok",
    "its okay",
    "no worries",
    "no danger",
    "not in danger",
    "nothing like that",
    "figure of speech",
    "just kidding",
    "jk",
    "just joking",
    "joking",
    "kidding",
    "exaggerating",
    "just venting",
    "venting",
    "just frustrated",
    "frustrated",
    "just annoyed",
    "annoyed",
    "didnt mean it",
    "didnt mean it like that",
    "not like that",
    "not literally",
    "not serious",
    "i was joking",
    "dont worry",
    "just the portal",
    "just need",
    "just want",
    "just wanted",
    "thumbs up",
    "\U0001f44d",
)
_UNSAFE_PHRASES = (
    "no",
    "nope",
    "nah",
    "naw",
    "not really",
    "not safe",
    "not ok",
    "not okay",
    "not fine",
    "not good",
    "not alright",
    "not all right",
    "not sure",
    "unsure",
    "im not",
    "i am not",
    "i dont know",
    "dont know",
    "i do not know",
    "idk",
    "idek",
    "dunno",
    "i guess",
    "maybe",
    "kind of",
    "kinda",
    "sort of",
    "sorta",
    "i think so",
    "probably",
    "hard to say",
    "barely",
    "unsafe",
    "scared",
    "afraid",
    "please help",
    "help please",
    "i need help",
    "not at all",
    "no im not",
    "whatever",
    "who cares",
    "does it matter",
    "why do you care",
    "leave me alone",
    "not anymore",
    "no longer",
)
# Words that wave a question away without answering it ("no no i'm fine").
_DISMISSALS = frozenset({"no", "nope", "nah", "naw", "lol", "haha", "omg", "oh", "god", "ugh", "what"})
# A fine-phrase that stands for "i am safe" on its own: what a leading "no" may precede.
_UNSAFE_AFTER_FINE = tuple(phrase for phrase in _UNSAFE_PHRASES if phrase not in _DISMISSALS)
_FINE = ("im fine", "im ok", "im okay", "im safe", "im good", "im alright", "all good", "i am fine", "i am safe")


def _words(answer: str) -> list[str]:
    normalised = answer.lower().translate(_APOSTROPHES).replace("'", "")
    words = _WORD.findall(normalised)
    if "\U0001f44d" in answer:
        words.append("\U0001f44d")
    return words


def _find(words: list[str], phrase: str) -> list[int]:
    """Start positions of `phrase` (space-separated words) in `words`."""
    wanted = phrase.split(" ")
    size = len(wanted)
    return [i for i in range(len(words) - size + 1) if words[i : i + size] == wanted]


def _has(words: list[str], phrases: tuple[str, ...]) -> bool:
    return any(_find(words, phrase) for phrase in phrases)


def _only_a_dismissal_before_fine(words: list[str]) -> bool:
    """A leading "no no" before "i'm fine": every word before the first "i'm fine" waves the question away,
    and nothing after it says otherwise."""
    starts = [i for phrase in _FINE for i in _find(words, phrase)]
    if not starts:
        return False
    first = min(starts)
    if not words[:first] or not all(word in _DISMISSALS for word in words[:first]):
        return False
    rest = words[first:]
    # "no im fine" alone; "im not" / "not sure" later on would undo it.
    return not _has(rest, _UNSAFE_AFTER_FINE)


def judge(answer: str) -> SafetyAnswer:
    """Whether the client's reply to the check-in says they are safe (see module docstring)."""
    words = _words(answer)
    if not words:
        return SafetyAnswer.UNCLEAR
    if _only_a_dismissal_before_fine(words):
        return SafetyAnswer.SAFE
    if _has(words, _UNSAFE_PHRASES):
        return SafetyAnswer.UNSAFE
    if _has(words, _SAFE_PHRASES):
        return SafetyAnswer.SAFE
    return SafetyAnswer.UNCLEAR
