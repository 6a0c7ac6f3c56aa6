"""Reading the answer to "are you safe right now?": doubt counts as not safe, a clear yes
carries on, anything else is neither (the client moved on)."""

from __future__ import annotations

import pytest

from assistant.screen.safety_answer import SafetyAnswer, judge

SAFE = [
    "yes",
    "Yes.",
    "yeah",
    "yep im fine",
    "yes im fine, just the portal",
    "lol yes",
    "i'm ok",
    "I’m okay thanks",
    "im safe",
    "all good",
    "no no i'm fine",
    "nah i'm good lol",
    "just venting, sorry",
    "it was a figure of speech",
    "just kidding",
    "👍",
    "i am",
    "fine",
    "yes i just need help with the portal",
]
UNSAFE = [
    "no",
    "No.",
    "nope",
    "not really",
    "i don't know",
    "idk",
    "not sure",
    "maybe",
    "kinda",
    "i'm not",
    "no i'm not",
    "not safe",
    "im not ok",
    "yes... i don't know",
    "yeah i guess",
    "fine whatever",
    "please help",
    "i'm scared",
    "does it matter",
    "no im fine but im not sure",
]
UNCLEAR = [
    "how do i reset my password",
    "what time is my session",
    "",
    "   ",
    "?",
]


@pytest.mark.parametrize("answer", SAFE)
def test_safe(answer: str) -> None:
    assert judge(answer) is SafetyAnswer.SAFE


@pytest.mark.parametrize("answer", UNSAFE)
def test_not_safe_or_unsure(answer: str) -> None:
    assert judge(answer) is SafetyAnswer.UNSAFE


@pytest.mark.parametrize("answer", UNCLEAR)
def test_neither(answer: str) -> None:
    assert judge(answer) is SafetyAnswer.UNCLEAR
