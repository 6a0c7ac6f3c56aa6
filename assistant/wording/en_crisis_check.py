"""The safety check-in's sentences (docs/crisis.md): asked when the dialogue model read a
crisis that the rule screen did not.  Each still gives 988 and 911, and none promises a
person: the full crisis protocol (`crisis.reply`) does that when the client is not safe."""

from __future__ import annotations

from types import MappingProxyType

MESSAGES = MappingProxyType(
    {
        "crisis_check.ask": (
            "I want to make sure you're okay - are you safe right now? "
            "If you're not, please call or text 988 (Suicide & Crisis Lifeline, 24/7), "
            "or call 911 in an emergency. If you're okay, just say so and we'll carry on."
        ),
        "voice.crisis_check.ask": (
            "I want to make sure you're okay. Are you safe right now? "
            "If you're not, please call or text 988, the Suicide and Crisis Lifeline, "
            "or hang up and call 911 in an emergency. If you're okay, just say so and we'll carry on."
        ),
        "crisis_check.glad": "Thanks for letting me know.",
        "crisis_check.glad_what_next": "Thanks for letting me know, I'm glad you're okay. What can I help you with?",
    }
)
