"""Training the dialogue model, only when its inputs changed.

A model is named by a fingerprint of domain, config and training data, so an
unchanged project reuses the model it already has (locally and in the tests).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
from pathlib import Path

from assistant.config import PROJECT_ROOT

RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"
MODELS_DIR = PROJECT_ROOT / "models"


class TrainingError(RuntimeError):
    pass


def training_inputs(root: Path = PROJECT_ROOT) -> list[Path]:
    # nlu_components/: the project's own NLU components (config.yml names them), so a change
    # to their code trains a new model too.
    components = sorted((root / "nlu_components").rglob("*.py"))
    return [root / "domain.yml", root / "config.yml", *sorted((root / "data").rglob("*.yml")), *components]


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in training_inputs(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT) -> Path:
    return MODELS_DIR / f"front-desk-{fingerprint(root)}.tar.gz"


def rasa_env() -> dict[str, str]:
    """Environment for the Rasa process: quiet TensorFlow, no telemetry, our app venv hidden."""
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(
        TF_CPP_MIN_LOG_LEVEL="2", RASA_TELEMETRY_ENABLED="false", TF_ENABLE_ONEDNN_OPTS="0", PYTHONWARNINGS="ignore"
    )
    return env


def ensure_model(force: bool = False) -> Path:
    """Path of a model trained on the current inputs, training one only if needed."""
    target = model_path()
    if target.exists() and not force:
        return target
    if not RASA_BIN.exists():
        raise TrainingError("The Rasa environment is missing: run `make setup` (creates .venv-rasa).")
    MODELS_DIR.mkdir(exist_ok=True)
    # Trained under a name of its own, then renamed: another process (a parallel test run, a
    # second `make run`) that finds `target` must never load a file still being written.
    # No dot in it: Rasa swaps a name's last suffix for .tar.gz (Path.with_suffix).
    partial = f"{target.name.removesuffix('.tar.gz')}-partial-{os.getpid()}-{secrets.token_hex(4)}"
    command = [
        str(RASA_BIN),
        "train",
        "--domain",
        "domain.yml",
        "--config",
        "config.yml",
        "--data",
        "data",
        "--out",
        str(MODELS_DIR),
        "--fixed-model-name",
        partial,
    ]
    trained = MODELS_DIR / f"{partial}.tar.gz"
    try:
        result = subprocess.run(command, cwd=PROJECT_ROOT, env=rasa_env(), capture_output=True, text=True)
        if result.returncode != 0 or not trained.exists():
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
            raise TrainingError(f"rasa train failed (exit {result.returncode}):\n{tail}")
        os.replace(trained, target)  # atomic: readers see no model or the whole one
    finally:
        trained.unlink(missing_ok=True)
    return target
