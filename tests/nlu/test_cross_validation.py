"""Intent classification quality gates from cross-validation with the project's config:
macro F1 must stay >= MIN_MACRO_F1, and the FallbackClassifier threshold must keep doing its job.

The folds are fixed by a seed (`seeded_cross_validation.py`), so the same data and
config always give the same figures: the gates cannot pass or fail by luck.  Their
margins come from running six seeds (docs/nlu.md): at the 0.40 threshold the share
of errors caught ranged 0.26-0.36 over seeds and correct answers lost 3.1-3.9%.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from assistant.config import PROJECT_ROOT
from assistant.training import RASA_PYTHON, rasa_env

# 0.90 before round 3; the new practice-question and context intents (diverse wordings, 3-fold)
# brought it to 0.859, 0.877 in round 5, 0.887 in round 6, 0.884 in round 7 (docs/nlu.md). A floor against regressions,
# not the target.
MIN_MACRO_F1 = 0.85
FOLDS = 3
FOLD_SEED = 0
SEEDED_RUNNER = Path(__file__).with_name("seeded_cross_validation.py")
# At the configured threshold: few correct answers sent to "did you mean", many wrong ones
# caught.  Below the worst of six seeds (3.9% lost, 25.9% caught) by a clear margin.
MAX_CORRECT_SENT_TO_FALLBACK = 0.06
MIN_ERRORS_CAUGHT = 0.20


def configured_threshold() -> float:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    return next(c["threshold"] for c in config["pipeline"] if c["name"] == "FallbackClassifier")


def threshold_table(
    successes: list[float], errors: list[float], thresholds: list[float]
) -> list[tuple[float, float, float]]:
    """(threshold, share of correct predictions below it, share of errors below it)."""
    return [
        (t, sum(c < t for c in successes) / len(successes), sum(c < t for c in errors) / len(errors))
        for t in thresholds
    ]


@pytest.fixture(scope="module")
def cross_validation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cv")
    result = subprocess.run(
        [
            str(RASA_PYTHON),
            str(SEEDED_RUNNER),
            "--seed",
            str(FOLD_SEED),
            "test",
            "nlu",
            "--nlu",
            "data/nlu",
            "--config",
            "config.yml",
            "--cross-validation",
            "--folds",
            str(FOLDS),
            "--successes",
            "--out",
            str(out),
        ],
        cwd=PROJECT_ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=3000,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return out


@pytest.mark.slow
def test_cross_validated_macro_f1(cross_validation: Path) -> None:
    report = json.loads((cross_validation / "intent_report.json").read_text())
    macro_f1 = report["macro avg"]["f1-score"]
    per_intent = {
        name: round(values["f1-score"], 3)
        for name, values in report.items()
        if isinstance(values, dict) and "support" in values and "avg" not in name
    }
    print(f"cross-validated macro F1 = {macro_f1:.3f}; per intent: {per_intent}")
    assert macro_f1 >= MIN_MACRO_F1, f"macro F1 {macro_f1:.3f} < {MIN_MACRO_F1}: {per_intent}"


@pytest.mark.slow
def test_fallback_threshold_is_supported_by_the_evidence(cross_validation: Path) -> None:
    def confidences(name: str) -> list[float]:
        items = json.loads((cross_validation / name).read_text())
        return [item["intent_prediction"]["confidence"] for item in items]

    successes, errors = confidences("intent_successes.json"), confidences("intent_errors.json")
    threshold = configured_threshold()
    table = threshold_table(successes, errors, [0.3, 0.35, 0.4, 0.45, 0.5, threshold])
    for t, correct_lost, errors_caught in table:
        print(f"threshold {t:.2f}: correct -> fallback {correct_lost:.1%}, errors caught {errors_caught:.1%}")
    _, correct_lost, errors_caught = table[-1]
    assert correct_lost <= MAX_CORRECT_SENT_TO_FALLBACK
    assert errors_caught >= MIN_ERRORS_CAUGHT
