"""Typed reads of what Rasa puts in a tracker.

rasa_sdk hands the latest message and the events over as plain JSON dicts (`Dict[str, Any]`);
these helpers check each value's shape once, so the actions work with `str`, `float` and
small dataclasses instead of `Any`.  A value of the wrong shape reads as missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rasa_sdk.interfaces import Tracker


@dataclass(frozen=True)
class IntentGuess:
    """One entry of the NLU's intent ranking."""

    name: str | None
    confidence: float  # rounded to 3 places, as tickets store it


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def latest_text(tracker: Tracker) -> str:
    """What the client just said ('' for a button press without text)."""
    return _text_or_none(tracker.latest_message.get("text")) or ""


def latest_intent(tracker: Tracker) -> str | None:
    return intent_name(tracker.latest_message)


def intent_name(parse_data: Mapping[str, Any]) -> str | None:
    """The intent NLU chose for one parsed message (a tracker's latest, or a user event's)."""
    return _text_or_none(_mapping(parse_data.get("intent")).get("name"))


def request_id_of(tracker: Tracker) -> str | None:
    """The gateway's request id, passed along in the message metadata for the logs."""
    return _text_or_none(_mapping(tracker.latest_message.get("metadata")).get("request_id"))


def intent_ranking(tracker: Tracker) -> list[IntentGuess]:
    """The NLU's intent guesses for the latest message, most likely first."""
    ranking = tracker.latest_message.get("intent_ranking")
    if not isinstance(ranking, list):
        return []
    guesses = []
    for item in map(_mapping, ranking):
        confidence = item.get("confidence")
        number = float(confidence) if isinstance(confidence, int | float) else 0.0
        guesses.append(IntentGuess(_text_or_none(item.get("name")), round(number, 3)))
    return guesses


def user_intents(tracker: Tracker) -> list[str | None]:
    """The intent of every client message so far, oldest first."""
    return [
        intent_name(_mapping(event.get("parse_data")))
        for event in tracker.events
        if isinstance(event, Mapping) and event.get("event") == "user"
    ]


def slot_set_at(tracker: Tracker, name: str) -> float | None:
    """When (a Unix time, the dialogue server's clock) the slot was last set, if it was."""
    for event in reversed(tracker.events):
        if isinstance(event, Mapping) and event.get("event") == "slot" and event.get("name") == name:
            stamp = event.get("timestamp")
            return float(stamp) if isinstance(stamp, int | float) else None
    return None


def text_before_slot_set(tracker: Tracker, name: str) -> str | None:
    """What the client had just said when the slot was last given a value (the request a
    `resume_action` is for, say), if the tracker still holds it."""
    events = [event for event in tracker.events if isinstance(event, Mapping)]
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "slot" and event.get("name") == name and event.get("value") is not None:
            for earlier in reversed(events[:index]):
                if earlier.get("event") == "user":
                    return _text_or_none(earlier.get("text"))
            return None
    return None
