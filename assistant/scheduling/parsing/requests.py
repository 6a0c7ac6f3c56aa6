"""Two requests in one message, and questions about how a session is held.

"cancel thursday and book me next week", "can you move my tuesday and also send the zoom
link": the dialogue model gives a message ONE intent, so the second request would be lost.

Design (issue 12): this pure splitter cuts a message at the words that join requests
("and", "also", "then", "plus", "after that", or a comma or full stop before them) and
names the front-desk task in each part by its own words.  Only when two or more parts each
name a task, and the tasks differ, is it two requests; anything else (one task, "cancel
and thanks", the same task twice) reads as one ordinary message.  The actions then do the
FIRST request (whichever intent the model chose: it redirects to the first task's action),
keep the second in the conversation (`queued_request` slot), and, once the first is done
or declined, say so and go on with the second ("Done - your Thursday session is
cancelled. Now, booking next week: ...").  Tasks that finish in one turn (the video link)
are followed at once by the next.

Keyword rules, not a model, because they only decide where to split and in which order:
what each part asks is still answered by the same actions as a single request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RESCHEDULE, CANCEL, BOOK, VIDEO_LINK = "reschedule", "cancel", "book", "video_link"

# Where one request ends and the next begins.
_JOINERS = re.compile(
    r"\s*[,;.!?]?\s*\b(?:and\s+also|and\s+then|and\s+after\s+that|after\s+that|also|then|plus|and)\b\s*"
    r"|\s*[;.!?]\s+",
    re.IGNORECASE,
)
# The task a part names, checked in this order ("reschedule" before "schedule" = book).
_TASK_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (task, re.compile(pattern, re.IGNORECASE))
    for task, pattern in (
        (CANCEL, r"\b(?:cancel\w*|call\s+off)\b"),
        (RESCHEDULE, r"\b(?:re-?schedul\w*|resched|move|moving|push(?:\s+back)?|bump)\b"),
        (BOOK, r"\b(?:book\w*|re-?book\w*|schedule|set\s+up)\b(?!.*\bcard\b)"),
        (VIDEO_LINK, r"\b(?:zoom|video|telehealth|meeting)\b.*\blink\b|\blink\b.*\b(?:zoom|video|session)\b|\bzoom\b"),
    )
)
_HOW_WE_MEET = re.compile(
    r"\b(?:video|zoom|online|virtual(?:ly)?|telehealth|remote(?:ly)?|in[\s-]person|in\s+the\s+office|face\s+to\s+face"
    r"|come\s+in)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Request:
    """One front-desk request in a message: its task and the words that ask for it."""

    task: str
    text: str


def task_of(part: str) -> str | None:
    """The front-desk task a request's words name, if any."""
    for task, pattern in _TASK_WORDS:
        if pattern.search(part):
            return task
    return None


def split_requests(text: str) -> list[Request]:
    """The requests in a message, in the order asked, when it holds two or more different
    ones; otherwise [] (one request, or none, is an ordinary message)."""
    requests: list[Request] = []
    for part in _JOINERS.split(text):
        part = part.strip()
        task = task_of(part) if part else None
        if task is None:
            if requests and part:  # words that belong to the request before ("... for friday")
                requests[-1] = Request(requests[-1].task, f"{requests[-1].text} {part}")
            continue
        if requests and requests[-1].task == task:
            requests[-1] = Request(task, f"{requests[-1].text} {part}")
        else:
            requests.append(Request(task, part))
    return requests if len(requests) >= 2 else []


def asks_how_we_meet(text: str) -> bool:
    """Whether a question is about how a session is held ("is that by video?", "in person?")."""
    return bool(_HOW_WE_MEET.search(text))
