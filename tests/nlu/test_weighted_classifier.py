"""The project's classifier (nlu_components/, runs in .venv-rasa): scikit-learn's balanced
class weights, with the configured intents' weights multiplied, its regularisation strength and
the scaling of each featurizer's counts (docs/nlu.md)."""

from __future__ import annotations

import json
import math
import subprocess
from typing import Any

import pytest

from assistant.config import PROJECT_ROOT
from assistant.training import RASA_PYTHON, rasa_env


def run_probe(code: str) -> Any:
    """Run `code` in the Rasa environment; the JSON its last line prints."""
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", code], cwd=PROJECT_ROOT, env=rasa_env(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


PROBE = """
import json
import math
from nlu_components.weighted_logistic_regression import boosted_balanced_weights
labels = ["a"] * 6 + ["b"] * 2 + ["out_of_scope"] * 4
print(json.dumps(boosted_balanced_weights(labels, {"out_of_scope": 5.0})))
"""


@pytest.mark.slow
def test_weights_are_balanced_then_boosted() -> None:
    weights = run_probe(PROBE)
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
    probe = run_probe(FEATURE_PROBE)
    assert probe["default_C"] == 1.0  # scikit-learn's default, as Rasa's own classifier
    assert probe["C"] == 30.0
    assert probe["default_intercept"] is True and probe["intercept"] is False
    # without the options: Rasa's raw counts, the featurizers side by side
    assert probe["plain"] == pytest.approx([3.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    # log(1 + count), each featurizer's part then of unit length: words [1, 0], chars four times 1/2
    assert probe["scaled"] == pytest.approx([1.0, 0.0, 0.5, 0.5, 0.5, 0.5])
    assert probe["log_only"] == pytest.approx([math.log(4.0), 0.0, *[math.log(2.0)] * 4])


GUARD_PROBE = """
import json, tempfile
from pathlib import Path
import numpy as np
from scipy.sparse import csr_matrix
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from nlu_components.weighted_logistic_regression import WeightedLogisticRegressionClassifier, guarded_probabilities

classes = np.array(["book", "faq", "out_of_scope"])
main = np.array([[0.6, 0.1, 0.3], [0.6, 0.1, 0.3], [0.1, 0.7, 0.2]])
guard = np.array([[0.2, 0.1, 0.7], [0.5, 0.1, 0.4], [0.1, 0.2, 0.7]])
combined = guarded_probabilities(main, guard, classes, {"book"}).tolist()

def message(features, intent=None):
    m = Message(data={"text": "x", **({"intent": intent} if intent else {})})
    m.add_features(Features(csr_matrix(np.array([features], dtype=float)), "sentence", "text", "words"))
    return m

# "book" and "faq" share their first feature with out_of_scope: the guard's larger boost
# pulls the shared feature to out_of_scope, the main model's does not.
examples = [message([1, 1, 0, 0], "book")] * 4 + [message([1, 0, 1, 0], "faq")] * 4
examples += [message([1, 0, 0, 1], "out_of_scope")] * 4
storage, resource = LocalModelStorage(Path(tempfile.mkdtemp())), Resource("clf")
context = ExecutionContext(GraphSchema({}), "probe")
config = {
    **WeightedLogisticRegressionClassifier.get_default_config(),
    "fit_intercept": False, "C": 10.0,
    "guarded_intents": ["book"], "guard_weight_boost": {"out_of_scope": 50.0},
}
trained = WeightedLogisticRegressionClassifier.create(config, storage, resource, context)
trained.train(TrainingData(training_examples=examples))
loaded = WeightedLogisticRegressionClassifier.load(config, storage, resource, context)
unguarded = WeightedLogisticRegressionClassifier.load({**config, "guarded_intents": []}, storage, resource, context)
probe = [message([1, 0.3, 0, 0]), message([1, 0, 0.3, 0])]
def read(component):
    return [(m.get("intent")["name"], round(m.get("intent")["confidence"], 6)) for m in component.process(probe)]
print(json.dumps({
    "combined": combined,
    "loaded_has_guard": loaded.guard is not None,
    # predicting copies a row-major coef_ on every message (column_major's docstring)
    "column_major": [m.coef_.flags.f_contiguous for m in (trained.clf, trained.guard, loaded.clf, loaded.guard)],
    "unguarded_has_guard": unguarded.guard is not None,
    "trained": read(trained), "loaded": read(loaded), "main_only": read(unguarded),
}))
"""


@pytest.mark.slow
def test_a_guard_model_vetoes_only_the_guarded_intents_and_survives_persistence() -> None:
    probe = run_probe(GUARD_PROBE)
    # row 1: main says book, the guard says out_of_scope -> the guard's row;
    # row 2: both say book -> main's row; row 3: main says faq (not guarded) -> main's row
    assert probe["combined"] == [[0.2, 0.1, 0.7], [0.6, 0.1, 0.3], [0.1, 0.7, 0.2]]
    assert probe["loaded_has_guard"] is True and probe["unguarded_has_guard"] is False
    assert probe["column_major"] == [True, True, True, True]
    # the persisted model reads exactly as the one just trained
    assert probe["loaded"] == probe["trained"]
    (book_main, _), (faq_main, _) = probe["main_only"]
    (book_guarded, _), (faq_guarded, _) = probe["loaded"]
    assert (book_main, faq_main) == ("book", "faq")
    # the guard vetoes the guarded intent (book -> out_of_scope) and leaves faq alone
    assert book_guarded == "out_of_scope"
    assert probe["loaded"][1] == probe["main_only"][1]
