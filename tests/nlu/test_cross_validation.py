"""Intent classification quality gate: cross-validated macro F1 must stay >= 0.90."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT
from assistant.training import RASA_BIN, rasa_env

MIN_MACRO_F1 = 0.90
FOLDS = 3


@pytest.mark.slow
def test_cross_validated_macro_f1(tmp_path: Path) -> None:
    out = tmp_path / "cv"
    result = subprocess.run(
        [str(RASA_BIN), "test", "nlu", "--nlu", "data/nlu", "--config", "config.yml",
         "--cross-validation", "--folds", str(FOLDS), "--out", str(out)],
        cwd=PROJECT_ROOT, env=rasa_env(), capture_output=True, text=True, timeout=3000)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    report = json.loads((out / "intent_report.json").read_text())
    macro_f1 = report["macro avg"]["f1-score"]
    weak = {name: round(values["f1-score"], 3) for name, values in report.items()
            if isinstance(values, dict) and "f1-score" in values and values["f1-score"] < 0.85
            and name not in ("macro avg", "weighted avg", "micro avg")}
    print(f"cross-validated macro F1 = {macro_f1:.3f}; intents under 0.85: {weak}")
    assert macro_f1 >= MIN_MACRO_F1, f"macro F1 {macro_f1:.3f} < {MIN_MACRO_F1}; weak intents: {weak}"
