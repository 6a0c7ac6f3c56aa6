"""The training data, domain and rules are consistent (Rasa's own validator, warnings fail)."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from assistant.config import PROJECT_ROOT
from assistant.training import RASA_BIN, rasa_env

CORE_INTENTS = [
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "reschedule_appointment",
    "cancel_appointment",
    "book_appointment",
    "appointment_info",
    "telehealth_link",
    "portal_login_help",
    "billing_update",
    "billing_question",
    "request_human",
    "crisis",
    "out_of_scope",
]


def _examples_by_intent() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text()).get("nlu", []):
            if "intent" in item:
                lines = [line[2:].strip() for line in item["examples"].splitlines() if line.startswith("- ")]
                found.setdefault(item["intent"], []).extend(lines)
    return found


def test_every_required_intent_has_at_least_30_examples() -> None:
    examples = _examples_by_intent()
    for intent in CORE_INTENTS:
        assert len(examples.get(intent, [])) >= 30, intent


def test_single_word_cancel_means_cancel_appointment() -> None:
    assert "cancel" in [text.lower() for text in _examples_by_intent()["cancel_appointment"]]


def test_domain_declares_exactly_the_trained_intents() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert set(domain["intents"]) == set(_examples_by_intent())


@pytest.mark.slow
def test_rasa_data_validate_is_clean_with_warnings_as_errors() -> None:
    result = subprocess.run(
        [str(RASA_BIN), "data", "validate", "--fail-on-warnings"],
        cwd=PROJECT_ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
