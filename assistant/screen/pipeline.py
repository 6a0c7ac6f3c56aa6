"""Screen one inbound message: redact sensitive numbers, then check for crisis language.

Redaction runs first so nothing downstream (crisis rules, logs, Rasa) ever sees a
card number or SSN; the crisis check runs on the redacted text.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.screen.crisis import CrisisAssessment, assess
from assistant.screen.redaction import redact


@dataclass(frozen=True)
class ScreenResult:
    text: str                      # the message with card numbers / SSNs replaced
    redactions: tuple[str, ...]    # kinds removed, e.g. ("card_number",)
    crisis: CrisisAssessment


def screen_message(text: str) -> ScreenResult:
    redaction = redact(text)
    return ScreenResult(redaction.text, redaction.kinds, assess(redaction.text))
