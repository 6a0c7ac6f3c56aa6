"""Control characters out of text before it is stored.

A NUL byte cannot be stored in PostgreSQL text at all (the insert fails), other C0/C1
controls and DEL do nothing visible except confuse terminals, logs and CSV exports, and
a lone UTF-16 surrogate (JSON allows `"\\ud800"`) cannot be encoded to UTF-8 by any
database driver.  So every text we keep from outside (client messages on every channel,
rep replies and notes, canned responses, admin settings) goes through `strip_control_chars`:
line breaks become `\\n`, tabs stay, everything else in those classes is dropped.
"""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile(r"\r\n?")
# C0 controls except \t (0x09) and \n (0x0a), DEL, C1 controls, and lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def strip_control_chars(text: str) -> str:
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))
