"""Rasa's `LogisticRegressionClassifier`, with the weight of chosen intents raised and its
features scaled the way text classifiers usually need.

Rasa's classifier fits scikit-learn's LogisticRegression with `class_weight="balanced"`:
every intent gets the same total weight, however many examples it has.  That is right for
the task intents, but it makes `out_of_scope` (the whole rest of the world: banking,
travel, shopping, other businesses' appointments) weigh no more than "thanks", so the
hundreds of everyday examples it needs cannot outvote one front-desk verb ("cancel my
netflix" read as cancel_appointment).  This subclass keeps the balanced weights and
multiplies the listed intents' weights by the configured factor (docs/nlu.md has the
evidence and the factor's choice).

Rasa hands the classifier raw counts, summed over the featurizers: a long run-on message
weighs many times a short one, and the character n-grams (thousands per message) drown the
words.  `sublinear_tf` takes log(1 + count), and `normalise_each_featurizer` scales each
featurizer's part of a message to unit length, so the word and character parts weigh the
same for a two-word text and a paragraph; `C` is scikit-learn's inverse regularisation
strength (unit-length rows need a larger C than raw counts).  `fit_intercept: false` drops
the per-intent constant: with it, a message the model knows nothing about (every word
unseen, "jjj kkk lll") still got `out_of_scope` at 0.55 from the boosted prior alone;
without it, no evidence means no opinion, a flat ranking, and the FallbackClassifier asks.
Rasa's classifier has none of these knobs, hence the few lines here.  Prediction,
persistence and loading are Rasa's own.

    - name: nlu_components.weighted_logistic_regression.WeightedLogisticRegressionClassifier
      weight_boost: {out_of_scope: 3.0}
      C: 30.0
      sublinear_tf: true
      normalise_each_featurizer: true
      fit_intercept: false
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.preprocessing import normalize

WEIGHT_BOOST = "weight_boost"
INVERSE_REGULARISATION = "C"
SUBLINEAR_TF = "sublinear_tf"
NORMALISE_EACH_FEATURIZER = "normalise_each_featurizer"
FIT_INTERCEPT = "fit_intercept"


def boosted_balanced_weights(labels: list[str], boost: dict[str, float]) -> dict[str, float]:
    """scikit-learn's "balanced" weights (n / (classes * count)), times `boost` per intent."""
    counts = Counter(labels)
    total, classes = len(labels), len(counts)
    return {label: total / (classes * count) * float(boost.get(label, 1.0)) for label, count in counts.items()}


def scaled_block(counts: Any, sublinear_tf: bool, normalise: bool) -> csr_matrix:
    """One featurizer's sentence features for one message: log(1 + count), then unit length."""
    block = csr_matrix(counts, dtype=np.float64)
    if sublinear_tf:
        block.data = np.log1p(block.data)
    return normalize(block) if normalise else block


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class WeightedLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            WEIGHT_BOOST: {},
            INVERSE_REGULARISATION: 1.0,
            SUBLINEAR_TF: False,
            NORMALISE_EACH_FEATURIZER: False,
            FIT_INTERCEPT: True,
        }

    def __init__(self, config: dict[str, Any], name: str, model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(
            C=float(self.config[INVERSE_REGULARISATION]), fit_intercept=bool(self.config[FIT_INTERCEPT])
        )

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        sublinear, normalise = bool(self.config[SUBLINEAR_TF]), bool(self.config[NORMALISE_EACH_FEATURIZER])
        if not (sublinear or normalise):
            return super()._create_X(messages)
        rows = []
        for message in messages:
            # One block per featurizer, in pipeline order, as Rasa's own combination orders them.
            blocks = [
                scaled_block(f.features, sublinear, normalise)
                for f in message.features
                if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and f.is_sparse()
            ]
            dense = message.get_dense_features(attribute=TEXT)[1]
            if dense is not None:
                blocks.append(csr_matrix(dense.features))
            rows.append(hstack(blocks))
        return vstack(rows).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        X, y = self._create_training_matrix(training_data)
        if X.shape[0] == 0:
            return self._resource
        boost = dict(self.config.get(WEIGHT_BOOST) or {})
        self.clf.set_params(class_weight=boosted_balanced_weights(list(y), boost))
        self.clf.fit(X, y)
        self.persist()
        return self._resource
