"""The project's classifier (nlu_components/, runs in .venv-rasa): scikit-learn's balanced
class weights, with the configured intents' weights multiplied (docs/nlu.md)."""

from __future__ import annotations

import json
import subprocess

import pytest

from assistant.config import PROJECT_ROOT
from assistant.training import RASA_PYTHON, rasa_env

PROBE = """
import json
from nlu_components.weighted_logistic_regression import boosted_balanced_weights
labels = ["a"] * 6 + ["b"] * 2 + ["out_of_scope"] * 4
print(json.dumps(boosted_balanced_weights(labels, {"out_of_scope": 5.0})))
"""


@pytest.mark.slow
def test_weights_are_balanced_then_boosted() -> None:
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", PROBE], cwd=PROJECT_ROOT, env=rasa_env(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    weights = json.loads(result.stdout.strip().splitlines()[-1])
    # balanced: n / (classes * count) = 12 / (3 * count); out_of_scope then times 5
    assert weights == pytest.approx({"a": 12 / 18, "b": 12 / 6, "out_of_scope": 12 / 12 * 5.0})
