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
persistence and loading are Rasa's own, except with a guard (below).

A guard (`guarded_intents`, `guard_weight_boost`) is a second model, the same classifier fit
with its own boosts, that has a veto over the listed intents only: when the main model's top
intent is one of them and the guard's top intent is another, the guard's ranking is used.
The large out_of_scope boost exists to keep everyday requests out of the self-service flows;
it also pulled practice questions ("can my 12 year old do her sessions on the ipad") into
out_of_scope, where no flow is at stake.  With a guard, the main model can use a small boost
for everything else while the flows keep the large one (docs/nlu.md, round 6).

    - name: nlu_components.weighted_logistic_regression.WeightedLogisticRegressionClassifier
      weight_boost: {out_of_scope: 3.0}
      C: 30.0
      sublinear_tf: true
      normalise_each_featurizer: true
      fit_intercept: false
      guarded_intents: [book_appointment, cancel_appointment]
      guard_weight_boost: {out_of_scope: 15.0}
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.base import clone
from sklearn.preprocessing import normalize

WEIGHT_BOOST = "weight_boost"
INVERSE_REGULARISATION = "C"
SUBLINEAR_TF = "sublinear_tf"
NORMALISE_EACH_FEATURIZER = "normalise_each_featurizer"
FIT_INTERCEPT = "fit_intercept"
GUARDED_INTENTS = "guarded_intents"
GUARD_WEIGHT_BOOST = "guard_weight_boost"


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


def column_major(model: Any) -> None:
    """Store a fitted model's coefficients column-major, so predicting needs no copy of them.

    scikit-learn predicts with `X @ coef_.T`; `coef_` is row-major (intents x features), so its
    transpose is column-major, and scipy's sparse product copies a row-major version of it on
    every call: about 2.5 ms a message for this vocabulary (tens of thousands of features x 33
    intents), more than the rest of the classifier.  The transpose of a column-major `coef_` is
    row-major already; the values, and so the probabilities, are the same.
    """
    if model is not None and hasattr(model, "coef_"):
        model.coef_ = np.asfortranarray(model.coef_)


def guarded_probabilities(main: Any, guard: Any, classes: Any, guarded: set[str]) -> Any:
    """Each row of `main`, except where main's top intent is guarded and the guard's top
    intent differs: that row is the guard's (both models share `classes`)."""
    main_top, guard_top = classes[main.argmax(axis=1)], classes[guard.argmax(axis=1)]
    vetoed = np.array([m in guarded and m != g for m, g in zip(main_top, guard_top, strict=True)], dtype=bool)
    return np.where(vetoed[:, None], guard, main)


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
            GUARDED_INTENTS: [],
            GUARD_WEIGHT_BOOST: {},
        }

    def __init__(self, config: dict[str, Any], name: str, model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(
            C=float(self.config[INVERSE_REGULARISATION]), fit_intercept=bool(self.config[FIT_INTERCEPT])
        )
        self.guarded = {str(intent) for intent in self.config[GUARDED_INTENTS] or []}
        self.guard: Any = None

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
        if self.guarded:
            guard_boost = dict(self.config.get(GUARD_WEIGHT_BOOST) or {})
            self.guard = clone(self.clf).set_params(class_weight=boosted_balanced_weights(list(y), guard_boost))
            self.guard.fit(X, y)
        self.persist()
        column_major(self.clf)
        column_major(self.guard)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.guard is None:
            return super().process(messages)
        X = self._create_X(messages)
        classes = self.clf.classes_
        main, guard = self.clf.predict_proba(X), self.guard.predict_proba(X)
        for message, row in zip(messages, guarded_probabilities(main, guard, classes, self.guarded), strict=True):
            # Rasa's own ranking and output format (LogisticRegressionClassifier.process).
            scored = ({"name": name, "confidence": float(p)} for name, p in zip(classes, row, strict=True))
            ranking = sorted(scored, key=lambda e: -e["confidence"])
            intent = ranking[0]
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set("intent", intent, add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def _guard_file(self, model_dir: Path) -> Path:
        return model_dir / f"{self._resource.name}.guard.skops"

    def persist(self) -> None:
        super().persist()
        if self.guard is not None:
            import skops.io as sio

            with self._model_storage.write_to(self._resource) as model_dir:
                sio.dump(self.guard, self._guard_file(model_dir))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> WeightedLogisticRegressionClassifier:
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        assert isinstance(component, WeightedLogisticRegressionClassifier)
        if component.guarded:
            import skops.io as sio

            # As Rasa loads its own file: only if it holds no type skops does not trust.
            with model_storage.read_from(resource) as model_dir:
                path = component._guard_file(model_dir)
                untrusted = sio.get_untrusted_types(file=path) if path.exists() else None
                if untrusted == []:
                    component.guard = sio.load(path, trusted=untrusted)
        column_major(component.clf)
        column_major(component.guard)
        return component
