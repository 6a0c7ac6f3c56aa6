"""Classify messages with a trained model (run with .venv-rasa's Python, like Rasa itself).

    .venv-rasa/bin/python tests/nlu/parse_messages.py MODEL.tar.gz OUT.json < messages.json

Reads a JSON list of texts on stdin and writes to OUT.json (Rasa logs to stdout), for each,
the intent the model chose (after the FallbackClassifier, so `nlu_fallback` appears as the
bot would see it), its confidence and the top of the ranking.  Only the NLU part of the
model runs: no tracker, no actions.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

# The project's own NLU components (nlu_components/) load by module path, as under `rasa`.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


async def _parse_all(model_path: str, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)
    parsed = []
    for message in texts:
        data = await agent.parse_message(message)
        ranking = [
            {"name": item.get("name"), "confidence": round(float(item.get("confidence") or 0.0), 4)}
            for item in (data.get("intent_ranking") or [])[:5]
        ]
        intent = data.get("intent") or {}
        parsed.append(
            {
                "text": message,
                "intent": intent.get("name"),
                "confidence": round(float(intent.get("confidence") or 0.0), 4),
                "ranking": ranking,
            }
        )
    return parsed


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: parse_messages.py MODEL.tar.gz OUT.json < texts.json")
    texts = json.load(sys.stdin)
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise SystemExit("stdin must be a JSON list of strings")
    parsed = asyncio.run(_parse_all(argv[0], texts))
    with open(argv[1], "w", encoding="utf-8") as out:
        json.dump(parsed, out)


if __name__ == "__main__":
    main(sys.argv[1:])
