"""A model is handed over whole: training writes under a name of its own and renames, so another
process that finds the model file never reads one still being written; a failed training
leaves nothing behind. Rasa is stood in for by a script that writes the way `rasa train` does."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from assistant import training

FAKE_RASA = """#!/bin/sh
# Writes <--out>/<--fixed-model-name>.tar.gz as `rasa train` does, noting what it saw first.
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift ;;
    --fixed-model-name) name="$2"; shift ;;
  esac
  shift
done
# Rasa names the file Path(name).with_suffix(".tar.gz"): a last ".suffix" is replaced.
case "$name" in *.*) name="${name%.*}" ;; esac
ls "$out" > "$out/../seen-while-training"
[ "$FAIL" = 1 ] && { printf 'half' > "$out/$name.tar.gz"; exit 1; }
printf 'model' > "$out/$name.tar.gz"
"""


@pytest.fixture
def fake_rasa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rasa = tmp_path / "rasa"
    rasa.write_text(FAKE_RASA)
    rasa.chmod(rasa.stat().st_mode | stat.S_IEXEC)
    models = tmp_path / "models"
    monkeypatch.setattr(training, "RASA_BIN", rasa)
    monkeypatch.setattr(training, "MODELS_DIR", models)
    return models


def test_the_model_appears_only_once_it_is_whole(fake_rasa: Path) -> None:
    target = training.ensure_model()
    assert target.parent == fake_rasa and target.read_text() == "model"
    assert (fake_rasa.parent / "seen-while-training").read_text() == ""  # no model under its name yet
    assert [path.name for path in fake_rasa.iterdir()] == [target.name]  # no partial file left


def test_a_failed_training_leaves_no_model_behind(fake_rasa: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAIL", "1")
    with pytest.raises(training.TrainingError):
        training.ensure_model()
    assert list(fake_rasa.iterdir()) == []
