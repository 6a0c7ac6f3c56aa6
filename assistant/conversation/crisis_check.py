"""The pipeline's crisis decision when the rule screen and the dialogue model disagree
(docs/crisis.md has the whole design and its figures).

    screen flags a crisis                 -> the full protocol, always (pipeline.py)
    model reads a crisis, screen cleared  -> a warm check-in, asked by the bot's
                                             `action_crisis` (988 and 911 included)
    the client's answer to the check-in   -> read here, before the bot sees it:
        not safe / no / don't know        -> the full protocol (`detected_by: check_in`)
        safe ("yes i'm fine, the portal") -> the bot carries on with the task the
                                             first message asked for
        neither (moved on)                -> the bot answers as usual; a second crisis
                                             reading soon after opens the full protocol

The answer is read on every channel (web chat, SMS, voice) because every channel's
message passes through the pipeline; the screen still runs first on the answer itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assistant.logs import get_logger
from assistant.screen.safety_answer import SafetyAnswer, judge
from assistant.services import safety_check
from assistant.store.models import Conversation

log = get_logger("conversation.crisis_check")


@dataclass(frozen=True)
class CheckInAnswer:
    """What the client's reply to "are you safe right now?" means for this turn."""

    crisis: bool = False  # not safe (or unsure): the full protocol
    for_bot: str | None = None  # what the bot answers instead of the reply: the held task
    notice: str | None = None  # a catalog key said first ("Thanks for letting me know.")
    answered_here: bool = False  # safe with no task held: the pipeline answers, not the bot


def read_answer(conversation: Conversation, text: str, now: dt.datetime) -> CheckInAnswer | None:
    """None when no check-in is waiting for this message; otherwise the decision, with the
    conversation's check-in memory updated (services/safety_check.py)."""
    if not safety_check.awaiting_answer(conversation, now):
        return None
    verdict = judge(text)
    log.info("safety_check_answered", conversation=conversation.id, verdict=verdict.value)
    if verdict is SafetyAnswer.UNSAFE:
        safety_check.forget(conversation)
        return CheckInAnswer(crisis=True)
    if verdict is SafetyAnswer.SAFE:
        resume = safety_check.answered(conversation, safe=True)
        if resume is None:
            return CheckInAnswer(notice="crisis_check.glad_what_next", answered_here=True)
        # Rasa's "/intent" message: the held task, without reading the first message again
        # (the model would read the same crisis in it a second time).
        return CheckInAnswer(for_bot=f"/{resume}", notice="crisis_check.glad")
    safety_check.answered(conversation, safe=None)
    return CheckInAnswer()
