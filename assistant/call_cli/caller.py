"""The caller's side of a simulated call: what they say, and what Twilio makes of it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

CONFIDENCE = "0.92"  # what Twilio reports for clearly spoken words
KEYS = frozenset("0123456789*#")


def heard_fields(line: str, *, num_digits: int | None = None, finish_on_key: str = "#") -> dict[str, str]:
    """What Twilio posts for one answer at a <Gather>: keys as `Digits` (collected as Twilio
    does: up to numDigits, ending at finishOnKey, which is not included), anything else as
    `SpeechResult` with its `Confidence`; nothing for silence."""
    line = line.strip()
    if not line:
        return {}
    if not set(line) <= KEYS:
        return {"SpeechResult": line, "Confidence": CONFIDENCE}
    digits = ""
    for key in line:
        if key in finish_on_key:
            break
        digits += key
        if num_digits and len(digits) >= num_digits:
            break
    return {"Digits": digits} if digits else {}


class Caller:
    """What the caller says: the scripted lines in order (then they hang up), or lines read
    with `read` (EOF counts as silence).  With `hang_up_after`, the caller hangs up instead
    of answering once they have answered that many times (0: before anyone answers)."""

    def __init__(
        self,
        script: Sequence[str] | None = None,
        *,
        hang_up_after: int | None = None,
        read: Callable[[str], str] = input,
        echo: Callable[[str], None] = print,
    ) -> None:
        self._script = list(script) if script is not None else None
        self.hang_up_after = hang_up_after
        self.answers = 0
        self._read, self._echo = read, echo

    def next_line(self) -> str | None:
        """The caller's next line ("" is silence), or None when they hang up."""
        if self.hang_up_after is not None and self.answers >= self.hang_up_after:
            return None
        if self._script is None:
            try:
                line = self._read("you: ")
            except EOFError:
                line = ""
        elif self._script:
            line = self._script.pop(0)
            self._echo(f"you: {line}")
        else:
            return None
        self.answers += 1
        return line.strip()


def read_piped(prompt: str) -> str:
    """input() for a pipe: the line is shown after the prompt, as if it had been typed."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    print(f"{prompt}{line.rstrip()}")
    return line
