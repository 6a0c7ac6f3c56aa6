"""What the trained model reads in a batch of messages, in one Rasa process.

The model is the one `make train` and the end-to-end tests use (assistant/training.py:
trained once per fingerprint of data/, domain.yml and config.yml, reused from models/).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from assistant.config import PROJECT_ROOT
from assistant.training import RASA_PYTHON, ensure_model, rasa_env

PARSER = Path(__file__).with_name("parse_messages.py")


@dataclass(frozen=True)
class Reading:
    intent: str  # after the FallbackClassifier: may be "nlu_fallback"
    confidence: float
    ranking: tuple[tuple[str, float], ...]


def read_all(texts: list[str]) -> dict[str, Reading]:
    model = ensure_model()
    unique = list(dict.fromkeys(texts))
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "parsed.json"
        result = subprocess.run(
            [str(RASA_PYTHON), str(PARSER), str(model), str(out)],
            input=json.dumps(unique),
            cwd=PROJECT_ROOT,
            env=rasa_env(),
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
        parsed = json.loads(out.read_text(encoding="utf-8"))
    return {
        item["text"]: Reading(
            str(item["intent"]),
            float(item["confidence"]),
            tuple((str(r["name"]), float(r["confidence"])) for r in item["ranking"]),
        )
        for item in parsed
    }
