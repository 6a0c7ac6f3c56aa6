"""Turning a bot reply (text + buttons) into plain text a phone can show."""

from __future__ import annotations

import re

_NUMBERED = re.compile(r"^\s*1[.)]\s", re.MULTILINE)


def render_for_sms(text: str, buttons: list[dict[str, str]] | None) -> str:
    """Buttons become words to reply with; numbered options are already in the text."""
    if not buttons or _NUMBERED.search(text):
        return text
    payloads = {button.get("payload") for button in buttons}
    if payloads == {"/affirm", "/deny"}:
        return f"{text} (Reply YES or NO)"
    titles = [button["title"] for button in buttons if button.get("title")]
    if not titles:
        return text
    return f"{text}\nReply with: " + ", ".join(f'"{title}"' for title in titles)
