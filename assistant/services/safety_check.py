"""The safety check-in's memory on a conversation (docs/crisis.md).

The dialogue model read a crisis that the rule screen did not (most often a figure of
speech): the bot asks "are you safe right now?" and the client's next message answers.
This module is the one place that sets and clears the three `safety_check_*` columns:

    ask           the bot asked; the next message answers; the task to carry on with
    answered      the client's answer was read (safe: forgotten; not safe: the full
                  protocol follows, forgotten; unclear: `asked_at` kept, so a second crisis
                  reading within `ESCALATE_WITHIN` goes to the full protocol)
"""

from __future__ import annotations

import datetime as dt

from assistant.store.models import Conversation

# The next message answers a check-in only this soon after it: a client who comes back
# the next day is starting a new conversation, not answering yesterday's question.
ANSWER_WITHIN = dt.timedelta(hours=2)
# A second crisis reading this soon after a check-in that was not answered "safe" opens
# the full protocol instead of asking again.
ESCALATE_WITHIN = dt.timedelta(hours=1)


def ask(conversation: Conversation, *, resume_intent: str | None, now: dt.datetime) -> None:
    conversation.safety_check_at = now
    conversation.safety_check_pending = True
    conversation.safety_check_resume = resume_intent


def awaiting_answer(conversation: Conversation, now: dt.datetime) -> bool:
    asked = conversation.safety_check_at
    return bool(conversation.safety_check_pending) and asked is not None and now - asked <= ANSWER_WITHIN


def asked_recently_without_safe_answer(conversation: Conversation, now: dt.datetime) -> bool:
    """A check-in was asked within `ESCALATE_WITHIN` and not answered "safe" (answered
    "safe" clears `safety_check_at`)."""
    asked = conversation.safety_check_at
    return asked is not None and now - asked <= ESCALATE_WITHIN


def answered(conversation: Conversation, *, safe: bool | None) -> str | None:
    """Forget the pending question; returns the task to carry on with.  `safe=None`: the
    answer was unclear, so the time it was asked is kept (see `ESCALATE_WITHIN`)."""
    resume = conversation.safety_check_resume
    conversation.safety_check_pending = False
    conversation.safety_check_resume = None
    if safe is not None:
        conversation.safety_check_at = None
    return resume


def forget(conversation: Conversation) -> None:
    """The full crisis protocol took over: nothing is pending any more."""
    conversation.safety_check_at = None
    conversation.safety_check_pending = False
    conversation.safety_check_resume = None
