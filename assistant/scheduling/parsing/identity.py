"""Names: a comparison key for a name, and a name and date of birth out of one message."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from assistant.scheduling.parsing.birth_date import find_date


def normalize_name(text: str) -> str:
    """A comparison key for a name: "  José O'Neil-SMITH. " -> "jose oneil smith"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.casefold().replace("'", "").replace("\u2019", "")
    plain = re.sub(r"[^\w\s]|_|\d", " ", plain)
    return " ".join(plain.split())


# Words around a name or a date that belong to neither ("my name is", "dob", "born on").
_DATE_WORDS = (
    r"(?:and )?(?:my )?(?:date of birth|d\.?o\.?b\.?|birthday|birth date|birthdate"
    r"|bday|b-day)(?:'?s| is)?|(?:and )?(?:i was )?born(?: on| in)?"
)
_POLITE = r"thanks|thank you|please|pls"
# Only at the start ("i'm Jordan Lee"): at the end these could be a surname ("Jordan Im").
_LEADING_ONLY = (
    r"hi|hello|hey|hiya|yes|yeah|yep|ok|okay|sure|sorry"
    r"|(?:my )?(?:full |legal |first and last )?name(?:'?s| is)?"
    r"|this is|it'?s|it is|i'?m|i am"
)
_SPACE_OR_PUNCT = r"[\s,.;:!?()\[\]\-]*"
_LEADING_FILLER = re.compile(
    rf"^{_SPACE_OR_PUNCT}(?:{_LEADING_ONLY}|{_DATE_WORDS}|{_POLITE})(?![\w']){_SPACE_OR_PUNCT}", re.IGNORECASE
)
_TRAILING_FILLER = re.compile(
    rf"{_SPACE_OR_PUNCT}(?<![\w'])(?:{_DATE_WORDS}|{_POLITE}|and|is|on){_SPACE_OR_PUNCT}$", re.IGNORECASE
)


def split_identity(text: str, *, today: dt.date | None = None) -> tuple[str | None, dt.date | None]:
    """Pull a name and a date of birth out of one message; either may be None.

    "Jordan Lee 4/12/1990", "jordan lee, dob april 12 1990",
    "my name is Jordan Lee and my birthday is 04/12/1990".  The name keeps the
    client's spelling; compare names with `normalize_name`.
    """
    text = text.replace("\u2019", "'")
    found = find_date(text, today or dt.date.today())
    date_of_birth = None
    segments = [text]
    if found:
        date_of_birth, (start, end) = found
        segments = [text[:start], text[end:]]
    # The name is whichever side of the date still has words once fillers are gone.
    for segment in segments:
        name = _strip_fillers(segment)
        if name:
            return name, date_of_birth
    return None, date_of_birth


def _strip_fillers(segment: str) -> str:
    previous = None
    while previous != segment:
        previous = segment
        segment = _LEADING_FILLER.sub("", segment)
        segment = _TRAILING_FILLER.sub("", segment)
    # Keep letters, apostrophes and hyphens inside names; drop digits and other marks.
    segment = re.sub(r"[^\w'\-\s]|\d|_", " ", segment)
    words = [word.strip("'-") for word in segment.split()]
    return " ".join(word for word in words if word)
