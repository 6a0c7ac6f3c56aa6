"""Looking up what to say: `text("scheduling.booked", session=...)`.

One catalog per language, each a mapping of key -> template with named placeholders
(str.format syntax).  A missing key or placeholder is a bug, so it raises instead of
sending a client a half-filled sentence.  Pure: no store, no framework.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from types import ModuleType

from assistant.wording import (
    en,
    en_closure,
    en_confirmation,
    en_context,
    en_crisis_check,
    en_faq,
    en_outreach,
    en_phrasing,
    en_voice,
)

DEFAULT_LANGUAGE = "en"
# The English catalog's parts, merged into one mapping (tests/unit/test_wording.py checks that no
# key is in two of them, where the later would silently win, and that every en*.py is here).
ENGLISH_PARTS: tuple[ModuleType, ...] = (
    en,
    en_voice,
    en_faq,
    en_context,
    en_crisis_check,
    en_closure,
    en_confirmation,
    en_phrasing,
    en_outreach,
)
CATALOGS: Mapping[str, Mapping[str, str]] = {
    "en": {key: wording for part in ENGLISH_PARTS for key, wording in part.MESSAGES.items()}
}


class WordingError(LookupError):
    """A key a catalog lacks, or a placeholder left unfilled."""


def template(key: str, language: str = DEFAULT_LANGUAGE) -> str:
    try:
        return CATALOGS[language][key]
    except KeyError:
        raise WordingError(f"no wording {key!r} in the {language!r} catalog") from None


@functools.cache  # catalogs are fixed at import: parse each template once
def placeholders(key: str, language: str = DEFAULT_LANGUAGE) -> frozenset[str]:
    """The names a key's template needs, e.g. {"first_name"}."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template(key, language)) if name)


def text(key: str, /, **values: object) -> str:
    """The sentence for `key` with its placeholders filled, in the default language."""
    return text_in(DEFAULT_LANGUAGE, key, **values)


def text_in(language: str, key: str, /, **values: object) -> str:
    """The sentence for `key` in `language` (positional: any name is free for a placeholder)."""
    wanted = placeholders(key, language)
    missing = wanted - values.keys()
    if missing:
        raise WordingError(f"{key!r} needs {sorted(missing)}")
    return template(key, language).format_map({name: values[name] for name in wanted})
