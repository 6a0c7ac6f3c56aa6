"""Run inside .venv-rasa (by test_schema_cache.py): Rasa's own result validation against rasa_boot's.

Prints one JSON object: for each action result, whether Rasa's original method and the
patched one accept it (or the error message each raised), plus the time per call of each.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project root, for rasa_boot

from jsonschema import ValidationError  # noqa: E402
from rasa.core.actions.action import RemoteAction  # noqa: E402

from rasa_boot import schema_cache  # noqa: E402

RESULTS: dict[str, Any] = {
    "valid: slot and a response": {
        "events": [{"event": "slot", "name": "offered_slots", "value": ["a", "b"], "timestamp": None}],
        "responses": [{"text": "hello"}],
    },
    "valid: empty": {},
    "valid: follow-up action": {"events": [{"event": "followup", "name": "action_listen"}], "responses": []},
    "invalid: events not a list": {"events": "slot"},
    "invalid: unknown event type": {"events": [{"event": "not-an-event"}]},
    "invalid: slot event without a name": {"events": [{"event": "slot", "value": 1}]},
    "invalid: response not an object": {"responses": ["hello"]},
    "invalid: not an object": ["events"],
}


def outcome(action: RemoteAction, result: Any) -> dict[str, Any]:
    try:
        return {"accepted": action._validate_action_result(result) is True}
    except ValidationError as error:
        return {"accepted": False, "error": type(error).__name__, "message": error.message}


def per_call_ms(action: RemoteAction, calls: int) -> float:
    result = RESULTS["valid: slot and a response"]
    started = time.perf_counter()
    for _ in range(calls):
        action._validate_action_result(result)
    return (time.perf_counter() - started) * 1000 / calls


def main() -> None:
    action = RemoteAction("action_check", None)
    before = {name: outcome(action, result) for name, result in RESULTS.items()}
    before_ms = per_call_ms(action, 30)
    original = RemoteAction._validate_action_result
    schema_cache.install()
    schema_cache.install()  # idempotent: a second install keeps the first patch
    after = {name: outcome(action, result) for name, result in RESULTS.items()}
    after_ms = per_call_ms(action, 300)
    print(
        json.dumps(
            {
                "patched": RemoteAction._validate_action_result is not original,
                "before": before,
                "after": after,
                "before_ms": before_ms,
                "after_ms": after_ms,
            }
        )
    )


if __name__ == "__main__":
    main()
