"""rasa_boot's cached action-result validator, exercised inside the Rasa environment itself.

.venv never imports rasa, so the checks run in a `.venv-rasa/bin/python` subprocess
(schema_cache_check.py) that compares Rasa's own method with the patched one.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from assistant.training import RASA_PYTHON, rasa_env

CHECK = Path(__file__).with_name("schema_cache_check.py")
RASA_HINT = "Failed to validate Action server response from API"

pytestmark = pytest.mark.skipif(not RASA_PYTHON.exists(), reason="the Rasa environment (.venv-rasa) is missing")


@pytest.fixture(scope="module")
def comparison() -> dict[str, Any]:
    completed = subprocess.run(
        [str(RASA_PYTHON), str(CHECK)], env=rasa_env(), capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_the_patch_replaces_rasas_method(comparison: dict[str, Any]) -> None:
    assert comparison["patched"] is True


def test_invalid_action_results_are_rejected_exactly_as_before(comparison: dict[str, Any]) -> None:
    invalid = {name: outcome for name, outcome in comparison["before"].items() if name.startswith("invalid")}
    assert invalid and all(not outcome["accepted"] for outcome in invalid.values())
    for name, outcome in invalid.items():
        patched = comparison["after"][name]
        assert patched == outcome, name
        assert patched["error"] == "ValidationError" and RASA_HINT in patched["message"], name


def test_valid_action_results_are_still_accepted(comparison: dict[str, Any]) -> None:
    valid = [name for name in comparison["before"] if name.startswith("valid")]
    assert valid
    for name in valid:
        assert comparison["before"][name] == {"accepted": True}, name
        assert comparison["after"][name] == {"accepted": True}, name


def test_time_per_validation_before_and_after(comparison: dict[str, Any]) -> None:
    # Printed for the record (run with -s); timings are never asserted.
    before, after = comparison["before_ms"], comparison["after_ms"]
    print(f"\naction-result validation per call: jsonschema.validate {before:.2f} ms, cached validator {after:.3f} ms")
    assert before > 0 and after > 0
