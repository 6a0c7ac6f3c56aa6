"""The inputs the end-to-end tests use to reach "low confidence" (tests/e2e/test_conversations.py,
tests/e2e/console/test_console_e2e.py) stay below the FallbackClassifier's threshold.

Those tests only mean something if the model really is unsure of these messages; a retrain
that starts reading one of them as an intent would make them fail far from the cause.  This
pins them here, with the reading in the message, so the fix (pick other inputs, in both places)
is obvious.
"""

from __future__ import annotations

import pytest

from tests.nlu.model_readings import read_all
from tests.nlu.test_cross_validation import configured_threshold

# Keep in step with the e2e files named above.
LOW_CONFIDENCE_INPUTS = ("ok so the thing", "jjj kkk lll")


@pytest.mark.slow
def test_e2e_low_confidence_inputs_stay_below_the_fallback_threshold() -> None:
    threshold = configured_threshold()
    readings = read_all(list(LOW_CONFIDENCE_INPUTS))
    confident = {
        text: (reading.ranking[0] if reading.ranking else (reading.intent, reading.confidence))
        for text, reading in readings.items()
        if reading.intent != "nlu_fallback"
    }
    assert not confident, (
        f"the model now reads these e2e low-confidence inputs above the fallback threshold {threshold:.2f}: "
        f"{confident}; pick other inputs here and in tests/e2e (test_conversations.py, console/test_console_e2e.py)"
    )
