"""The import contracts in pyproject.toml ([tool.importlinter]) hold: layers point down
(api, channels -> conversation pipeline -> services -> store), pure logic imports no
framework, actions only reach services, and nothing in the app imports Rasa."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assistant.config import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert ", 0 broken." in result.stdout
