"""The independent evaluation sets (tests/nlu/eval/, README.md there has their provenance)
and the intent groups the figures are reported for.

The sets were written without seeing data/; nothing here may be copied into training data,
and the off-domain `test` half is only ever measured, never looked at to tune anything.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from assistant.config import PROJECT_ROOT

EVAL_DIR = Path(__file__).with_name("eval")

# Intents that start a self-service flow: an off-domain message must never land here.
TRANSACTIONAL = (
    "reschedule_appointment",
    "cancel_appointment",
    "book_appointment",
    "appointment_info",
    "telehealth_link",
    "portal_login_help",
    "billing_update",
)
FAQ = (
    "faq_hours",
    "faq_open_now",
    "faq_address",
    "faq_parking",
    "faq_accessibility",
    "faq_insurance",
    "faq_self_pay",
    "faq_first_session",
    "faq_intake_forms",
    "faq_telehealth",
    "faq_cancellation_policy",
    "faq_contact",
)
# The issue's "core intents" for the held-out accuracy gate.
CORE = (*TRANSACTIONAL, "request_human", "crisis", "billing_question", *FAQ, "still_stuck")


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def training_texts() -> set[str]:
    """Every training example of data/nlu/, normalised (case and spaces)."""
    found: set[str] = set()
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                lines = item["examples"].splitlines()
                found.update(normalised(line.strip()[2:]) for line in lines if line.strip().startswith("- "))
    return found


def unseen(texts: list[str]) -> list[str]:
    """`texts` without the messages that are also training examples: the sets were written
    without seeing data/, so a few short ones ("hi", "cancel my appointment") coincide, and
    the README asks for them to be left out when reporting generalisation."""
    seen = training_texts()
    return [text for text in texts if normalised(text) not in seen]


def held_out() -> dict[str, list[str]]:
    data = yaml.safe_load((EVAL_DIR / "held_out.yml").read_text(encoding="utf-8"))
    return {str(intent): [str(text) for text in texts] for intent, texts in data.items()}


def off_domain(half: str) -> list[str]:
    if half not in ("dev", "test"):
        raise ValueError(half)
    data = yaml.safe_load((EVAL_DIR / "off_domain.yml").read_text(encoding="utf-8"))
    return [str(text) for text in data[half]]


def crisis_must_catch() -> list[str]:
    return [str(text) for text in yaml.safe_load((EVAL_DIR / "crisis_must_catch.yml").read_text(encoding="utf-8"))]


# The four figures of speech issue 12 reported, measured beside the independent set.
ISSUE_FIGURES = (
    "ugh this portal is killing me",
    "i could just die, i forgot my appt",
    "my boss is killing me",
    "kill me now lol this form",
)


def crisis_figures_of_speech() -> list[str]:
    texts = yaml.safe_load((EVAL_DIR / "crisis_figures_of_speech.yml").read_text(encoding="utf-8"))
    return list(dict.fromkeys([*ISSUE_FIGURES, *(str(text) for text in texts)]))
