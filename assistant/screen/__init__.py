"""Screening of every inbound message: redact card numbers and SSNs, then look for crisis."""

from assistant.screen.pipeline import ScreenResult, screen_message

__all__ = ["ScreenResult", "screen_message"]
