"""`assistant doctor`: what is missing or broken, and what to do about it."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from assistant.config import PROJECT_ROOT, Settings
from assistant.stack import port_is_free
from assistant.supervisor.state import child_reports
from assistant.training import RASA_BIN, model_path, rasa_env


def _check(ok: bool, good: str, fix: str) -> bool:
    print(f"  {'ok ' if ok else 'FIX'}  {good if ok else fix}")
    return ok


def _rasa_runs() -> bool:
    if not RASA_BIN.exists():
        return False
    result = subprocess.run(
        [str(RASA_BIN), "--version"], cwd=PROJECT_ROOT, env=rasa_env(), capture_output=True, text=True, timeout=120
    )
    return result.returncode == 0 and "3.6" in result.stdout


def _database(settings: Settings) -> tuple[bool, bool, bool]:
    from assistant.store.engine import session_scope
    from assistant.store.migrate import is_up_to_date
    from assistant.store.models import Practice

    try:
        migrated = is_up_to_date(settings.database_url)
    except Exception:  # noqa: BLE001 - unreachable database: report, don't crash
        return False, False, False
    if not migrated:
        return True, False, False
    with session_scope(settings.database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == settings.practice_slug)).first()
    return True, True, practice is not None


def _gateway_health(settings: Settings) -> dict[str, Any] | None:
    try:
        health = httpx.get(f"http://127.0.0.1:{settings.port}/healthz", timeout=3).json()
    except (httpx.HTTPError, ValueError):
        return None
    return health if isinstance(health, dict) else None  # something else answers on the port


STATE_FILE = PROJECT_ROOT / "var" / "run" / "stack.json"


def _supervised(state_file: Path) -> list[bool]:
    """One line per child of a running `assistant run`: up, or restarting in a loop."""
    reports = child_reports(state_file)
    if reports is None:
        if state_file.exists():
            print(f"  ...  {state_file} names a stack whose supervisor is gone: the next `make run` stops it first")
        return []
    return [
        _check(
            not report.crash_looping,
            f"supervised: {report.name} {report.state} ({report.restarts} restarts)",
            f"{report.name} is crash-looping ({report.restarts} restarts, last {report.last_exit}): "
            f"see {state_file.parent.parent / 'logs' / (report.name + '.log')}",
        )
        for report in reports
    ]


def run_checks(settings: Settings, state_file: Path = STATE_FILE) -> int:
    print("Checking the front desk setup:")
    results = [
        _check(
            (PROJECT_ROOT / ".venv" / "bin" / "assistant").exists(),
            "app environment .venv",
            "app environment missing: run `make setup`",
        ),
        _check(
            _rasa_runs(),
            "Rasa environment .venv-rasa (rasa 3.6)",
            "Rasa environment missing or broken: run `make setup`",
        ),
        _check(
            model_path().exists(),
            f"model up to date ({model_path().name})",
            "no model for the current training data: run `assistant train` (or `make run`)",
        ),
    ]
    reachable, migrated, practice = _database(settings)
    results += [
        _check(
            reachable,
            "database reachable",
            f"cannot open the database ({settings.database_url.split('@')[-1]}); "
            "check DATABASE_URL and that the server is running",
        ),
        _check(migrated, "database migrated", "database not migrated: run `assistant migrate`"),
        _check(
            practice,
            f"practice '{settings.practice_slug}' exists",
            "no practice yet: run `assistant demo-data` (demo) or create one",
        ),
    ]
    health = _gateway_health(settings)
    if health is not None:
        checks = health.get("checks", {})
        for part in ("rasa", "action_server", "database"):
            results.append(
                _check(
                    checks.get(part) == "ok",
                    f"running: {part} ok",
                    f"running gateway reports {part} unavailable: see var/logs/",
                )
            )
    else:
        for name, port in (("gateway", settings.port), ("Rasa", 5005), ("action server", 5055)):
            results.append(
                _check(
                    port_is_free(port),
                    f"port {port} free for the {name}",
                    f"port {port} ({name}) is taken by another program: stop it or "
                    "choose another port (PORT, RASA_PORT, ACTION_PORT)",
                )
            )
    results += _supervised(state_file)
    print("All good." if all(results) else "Some checks need attention (see FIX lines).")
    return 0 if all(results) else 1
