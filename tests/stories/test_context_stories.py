"""The Rasa test stories in this folder (follow-ups and changes of mind, issue 12), run with
`rasa test core --e2e` from .venv-rasa against the trained model.

End to end: each client message goes through the model's NLU and must get the story's
intent, and each next action must be the one the policies predict.  `rasa test` does not
run custom actions (it replays the story's own events after each prediction), so no action
server or database is involved here; what the actions then do is tested through the web
chat API in tests/e2e/test_context.py.  Deterministic: the model is trained with fixed
seeds (config.yml) and reused while its inputs are unchanged (assistant/training.py).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from assistant.config import PROJECT_ROOT
from assistant.training import RASA_BIN, ensure_model, rasa_env

STORIES = Path(__file__).with_name("test_context.yml")

pytestmark = pytest.mark.e2e


def test_context_stories_pass_end_to_end(tmp_path: Path) -> None:
    if not RASA_BIN.exists():
        pytest.fail("The Rasa environment is missing: run `make setup` (creates .venv-rasa).")
    model = ensure_model()
    expected = len(yaml.safe_load(STORIES.read_text())["stories"])
    result = subprocess.run(
        [
            str(RASA_BIN),
            "test",
            "core",
            "--e2e",
            "--stories",
            str(STORIES),
            "--model",
            str(model),
            "--out",
            str(tmp_path),
        ],
        cwd=PROJECT_ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    failed = yaml.safe_load((tmp_path / "failed_test_stories.yml").read_text()) or {}
    # A failed story is written back with the model's prediction beside each wrong step.
    assert not failed.get("stories"), (tmp_path / "failed_test_stories.yml").read_text()
    report = json.loads((tmp_path / "story_report.json").read_text())["conversation_accuracy"]
    assert report["total"] == expected and report["correct"] == expected, report  # none skipped
