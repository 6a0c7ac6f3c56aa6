"""The project's classifier (nlu_components/, runs in .venv-rasa): scikit-learn's balanced
class weights, with the configured intents' weights multiplied, its regularisation strength and
the scaling of each featurizer's counts (docs/nlu.md)."""

from __future__ import annotations

import json
import math
import subprocess

import pytest

from assistant.config import PROJECT_ROOT
from assistant.training import RASA_PYTHON, rasa_env

PROBE = """
import json
import math
from nlu_components.weighted_logistic_regression import boosted_balanced_weights
labels = ["a"] * 6 + ["b"] * 2 + ["out_of_scope"] * 4
print(json.dumps(boosted_balanced_weights(labels, {"out_of_scope": 5.0})))
"""


@pytest.mark.slow
def test_weights_are_balanced_then_boosted() -> None:
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", PROBE], cwd=PROJECT_ROOT, env=rasa_env(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    weights = json.loads(result.stdout.strip().splitlines()[-1])
    # balanced: n / (classes * count) = 12 / (3 * count); out_of_scope then times 5
    assert weights == pytest.approx({"a": 12 / 18, "b": 12 / 6, "out_of_scope": 12 / 12 * 5.0})


FEATURE_PROBE = """
import json, math, tempfile
from pathlib import Path
import numpy as np
from scipy.sparse import csr_matrix
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from nlu_components.weighted_logistic_regression import WeightedLogisticRegressionClassifier

def message():
    m = Message(data={"text": "a long message"})
    # two featurizers' sentence features: words (counts 3 and 0) and character n-grams (1, 1, 1, 1)
    m.add_features(Features(csr_matrix(np.array([[3.0, 0.0]])), "sentence", "text", "words"))
    m.add_features(Features(csr_matrix(np.array([[1.0, 1.0, 1.0, 1.0]])), "sentence", "text", "chars"))
    return m

def classifier(config):
    storage = LocalModelStorage(Path(tempfile.mkdtemp()))
    context = ExecutionContext(GraphSchema({}), "probe")
    return WeightedLogisticRegressionClassifier.create(config, storage, Resource("clf"), context)

plain = classifier({})
scaled = classifier({"C": 30.0, "sublinear_tf": True, "normalise_each_featurizer": True, "fit_intercept": False})
print(json.dumps({
    "default_C": plain.clf.C,
    "C": scaled.clf.C,
    "default_intercept": plain.clf.fit_intercept,
    "intercept": scaled.clf.fit_intercept,
    "plain": plain._create_X([message()]).toarray()[0].tolist(),
    "scaled": scaled._create_X([message()]).toarray()[0].tolist(),
    "log_only": classifier({"sublinear_tf": True})._create_X([message()]).toarray()[0].tolist(),
}))
"""


@pytest.mark.slow
def test_regularisation_and_feature_scaling_are_configurable() -> None:
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", FEATURE_PROBE],
        cwd=PROJECT_ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["default_C"] == 1.0  # scikit-learn's default, as Rasa's own classifier
    assert probe["C"] == 30.0
    assert probe["default_intercept"] is True and probe["intercept"] is False
    # without the options: Rasa's raw counts, the featurizers side by side
    assert probe["plain"] == pytest.approx([3.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    # log(1 + count), each featurizer's part then of unit length: words [1, 0], chars four times 1/2
    assert probe["scaled"] == pytest.approx([1.0, 0.0, 0.5, 0.5, 0.5, 0.5])
    assert probe["log_only"] == pytest.approx([math.log(4.0), 0.0, *[math.log(2.0)] * 4])
