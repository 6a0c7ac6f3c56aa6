"""Rasa's `LogisticRegressionClassifier`, with the weight of chosen intents raised.

Rasa's classifier fits scikit-learn's LogisticRegression with `class_weight="balanced"`:
every intent gets the same total weight, however many examples it has.  That is right for
the task intents, but it makes `out_of_scope` (the whole rest of the world: banking,
travel, shopping, other businesses' appointments) weigh no more than "thanks", so the
hundreds of everyday examples it needs cannot outvote one front-desk verb ("cancel my
netflix" read as cancel_appointment).  This subclass keeps the balanced weights and
multiplies the listed intents' weights by the configured factor (docs/nlu.md has the
evidence and the factor's choice).  Prediction, persistence and loading are Rasa's own.

    - name: nlu_components.weighted_logistic_regression.WeightedLogisticRegressionClassifier
      weight_boost: {out_of_scope: 3.0}
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.training_data import TrainingData

WEIGHT_BOOST = "weight_boost"


def boosted_balanced_weights(labels: list[str], boost: dict[str, float]) -> dict[str, float]:
    """scikit-learn's "balanced" weights (n / (classes * count)), times `boost` per intent."""
    counts = Counter(labels)
    total, classes = len(labels), len(counts)
    return {label: total / (classes * count) * float(boost.get(label, 1.0)) for label, count in counts.items()}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class WeightedLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), WEIGHT_BOOST: {}}

    def train(self, training_data: TrainingData) -> Resource:
        X, y = self._create_training_matrix(training_data)
        if X.shape[0] == 0:
            return self._resource
        boost = dict(self.config.get(WEIGHT_BOOST) or {})
        self.clf.set_params(class_weight=boosted_balanced_weights(list(y), boost))
        self.clf.fit(X, y)
        self.persist()
        return self._resource
