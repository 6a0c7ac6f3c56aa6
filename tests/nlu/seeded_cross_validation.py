"""`rasa test nlu --cross-validation` with folds fixed by a seed (run with .venv-rasa's Python).

Rasa 3.6 draws its folds from `StratifiedKFold(shuffle=True)` with no random state,
and loads the data files from a set (so their order depends on the process's hash
seed): every run scored a different split, and a gate on the share of errors the
fallback catches moved by several points between runs (0.226 vs 0.31).  This runner
replaces only the fold generator: examples are put in a fixed order (intent, text),
then split by `StratifiedKFold(shuffle=True, random_state=seed)`; training itself is
already seeded (`random_state` in config.yml).  Everything else is Rasa's own CLI.

    .venv-rasa/bin/python tests/nlu/seeded_cross_validation.py --seed 7 test nlu ...
"""

from __future__ import annotations

import sys
from collections.abc import Iterator


def _seeded_folds(seed: int):  # type: ignore[no-untyped-def]
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    def generate_folds(n: int, training_data: TrainingData) -> Iterator[tuple[TrainingData, TrainingData]]:
        examples = sorted(training_data.intent_examples, key=lambda e: (e.get_full_intent(), e.get("text") or ""))
        labels = [example.get_full_intent() for example in examples]
        folds = StratifiedKFold(n_splits=n, shuffle=True, random_state=seed)
        for train_index, test_index in folds.split(examples, labels):
            yield tuple(  # type: ignore[misc]
                TrainingData(
                    training_examples=[examples[i] for i in index],
                    entity_synonyms=training_data.entity_synonyms,
                    regex_features=training_data.regex_features,
                    lookup_tables=training_data.lookup_tables,
                    responses=training_data.responses,
                )
                for index in (train_index, test_index)
            )

    return generate_folds


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] != "--seed":
        raise SystemExit("usage: seeded_cross_validation.py --seed N <rasa arguments>")
    seed, rasa_args = int(argv[1]), argv[2:]
    import rasa.nlu.test
    from rasa.__main__ import main as rasa_main

    rasa.nlu.test.generate_folds = _seeded_folds(seed)
    sys.argv = ["rasa", *rasa_args]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
