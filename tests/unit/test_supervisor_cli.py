"""`assistant run --gateways 2` refuses SQLite (and a missing Redis) before touching anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.config import get_settings


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("fresh_settings")
@pytest.mark.parametrize("topology", [["--gateways", "2"], ["--rasa-replicas", "2"]])
def test_several_processes_on_sqlite_are_refused_with_a_clear_message(
    topology: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "front-desk.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("ASSISTANT_ENV", "test")
    assert main(["run", *topology, "--var-dir", str(tmp_path / "var")]) == 1
    assert "need PostgreSQL" in capsys.readouterr().err
    assert not database.exists() and not (tmp_path / "var").exists()  # nothing migrated, nothing started


@pytest.mark.usefixtures("fresh_settings")
def test_several_gateways_without_redis_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("ASSISTANT_ENV", "test")
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert main(["run", "--gateways", "2", "--var-dir", str(tmp_path / "var")]) == 1
    assert "need Redis" in capsys.readouterr().err
