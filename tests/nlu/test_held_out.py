"""How the NLU does on messages written without seeing its training data (tests/nlu/eval/,
README.md there): held-out accuracy on the core intents, off-domain messages kept out of
the self-service flows, and the crisis decision in both directions.  The figures are
printed at the end of the run (conftest.py) and written up in docs/nlu.md / docs/crisis.md.

The model is the project's own (trained once per change of data/, domain.yml, config.yml).
"""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.screen.crisis import assess
from tests.nlu.conftest import report
from tests.nlu.eval_sets import (
    CORE,
    TRANSACTIONAL,
    crisis_figures_of_speech,
    crisis_must_catch,
    held_out,
    off_domain,
    unseen,
)
from tests.nlu.model_readings import Reading

# Issue 12's target.  Training is seeded (config.yml random_state), so the same data gives the
# same figure on every run: 0.954 (472 / 495) since round 7 (docs/nlu.md).  A change to the
# data that takes it below the target fails here, on purpose.
MIN_CORE_ACCURACY = 0.95
MAX_OFF_DOMAIN_TRANSACTIONAL = 0.05
# A figure of speech may get the short check-in ("are you safe right now?"), never the full
# protocol; the check-in itself should stay rare (docs/crisis.md has the measured rate).
MAX_FIGURES_CHECKED_IN = 0.15


def crisis_outcome(text: str, reading: Reading) -> str:
    """What the front desk does with a message, crisis-wise (docs/crisis.md):
    the rule screen -> full protocol; the model alone -> check-in; else nothing."""
    if assess(text).is_crisis:
        return "protocol"
    return "check_in" if reading.intent == "crisis" else "none"


@pytest.mark.slow
def test_held_out_accuracy_on_core_intents(readings: dict[str, Reading]) -> None:
    per_intent: dict[str, tuple[int, int]] = {}
    confusions: Counter[tuple[str, str]] = Counter()
    written = held_out()
    scored = {intent: unseen(texts) for intent, texts in written.items()}
    left_out = sum(len(texts) for texts in written.values()) - sum(len(texts) for texts in scored.values())
    for intent, texts in scored.items():
        right = 0
        for text in texts:
            got = readings[text].intent
            right += got == intent
            if got != intent:
                confusions[(intent, got)] += 1
        per_intent[intent] = (right, len(texts))
    core_right = sum(per_intent[i][0] for i in CORE if i in per_intent)
    core_total = sum(per_intent[i][1] for i in CORE if i in per_intent)
    all_right = sum(r for r, _ in per_intent.values())
    all_total = sum(n for _, n in per_intent.values())
    accuracy = core_right / core_total
    lines = [
        f"core intents: {accuracy:.3f} ({core_right}/{core_total}); all intents: {all_right / all_total:.3f}; "
        f"{left_out} messages left out because they are also training examples",
        *(f"{name:26} {r:3}/{n:<3} {r / n:.2f}" for name, (r, n) in sorted(per_intent.items())),
        "most frequent confusions (expected -> read): "
        + ", ".join(f"{a}->{b} x{c}" for (a, b), c in confusions.most_common(12)),
    ]
    report("Held-out accuracy (tests/nlu/eval/held_out.yml; nlu_fallback counts as wrong)", lines)
    missing = [intent for intent in CORE if intent not in per_intent]
    assert not missing, f"held-out set lacks {missing}"
    assert accuracy >= MIN_CORE_ACCURACY, lines


@pytest.mark.slow
def test_off_domain_messages_do_not_start_a_self_service_flow(readings: dict[str, Reading]) -> None:
    lines = []
    shares = {}
    for half in ("dev", "test"):
        texts = unseen(off_domain(half))
        pulled = Counter(readings[t].intent for t in texts if readings[t].intent in TRANSACTIONAL)
        shares[half] = sum(pulled.values()) / len(texts)
        landed = Counter(readings[t].intent for t in texts)
        lines.append(
            f"{half:4}: {shares[half]:.1%} of {len(texts)} into a transactional intent "
            f"({dict(pulled.most_common())}); read as: {dict(landed.most_common(6))}"
        )
    report("Off-domain (tests/nlu/eval/off_domain.yml; the test half is the gate, never tuned on)", lines)
    assert shares["test"] <= MAX_OFF_DOMAIN_TRANSACTIONAL, lines


@pytest.mark.slow
def test_crisis_both_directions(readings: dict[str, Reading]) -> None:
    must = Counter(crisis_outcome(t, readings[t]) for t in crisis_must_catch())
    figures = Counter(crisis_outcome(t, readings[t]) for t in crisis_figures_of_speech())
    n_must, n_fig = sum(must.values()), sum(figures.values())
    lines = [
        f"must catch ({n_must}): full protocol {must['protocol'] / n_must:.1%}, "
        f"check-in only {must['check_in'] / n_must:.1%}, missed {must['none'] / n_must:.1%}",
        f"figures of speech ({n_fig}, issue's four included): full protocol {figures['protocol'] / n_fig:.1%}, "
        f"check-in {figures['check_in'] / n_fig:.1%}, left alone {figures['none'] / n_fig:.1%}",
    ]
    report("Crisis (screen -> full protocol; model alone -> check-in; docs/crisis.md)", lines)
    # Recall counts the full protocol only: every must-catch message gets 988, 911 and a person.
    assert must["protocol"] == n_must, lines
    assert figures["protocol"] == 0, lines
    assert figures["check_in"] / n_fig <= MAX_FIGURES_CHECKED_IN, lines
