"""The NLU figures, printed at the end of every run that measured them (`make test`),
whether or not pytest captures output: a table per measurement, via the terminal summary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.nlu.eval_sets import (
    crisis_figures_of_speech,
    crisis_must_catch,
    held_out,
    off_domain,
)
from tests.nlu.model_readings import Reading, read_all

# Filled by the tests of this folder, printed by `pytest_terminal_summary`.
REPORT: dict[str, list[str]] = {}


def report(title: str, lines: list[str]) -> None:
    REPORT[title] = lines


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPORT:
        return
    terminalreporter.section("NLU figures (docs/nlu.md, docs/crisis.md)")
    for title, lines in REPORT.items():
        terminalreporter.write_line(title)
        for line in lines:
            terminalreporter.write_line(f"  {line}")


@pytest.fixture(scope="session")
def readings() -> Iterator[dict[str, Reading]]:
    """The trained model's reading of every evaluation message, parsed once per session."""
    texts = [text for texts in held_out().values() for text in texts]
    texts += off_domain("dev") + off_domain("test") + crisis_must_catch() + crisis_figures_of_speech()
    yield read_all(texts)
