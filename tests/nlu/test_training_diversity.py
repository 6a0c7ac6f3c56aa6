"""The training data is many situations, not clusters of one sentence reworded (issue 12,
part 5): no example is given twice (or under two intents), and no intent holds a cluster of
near-duplicates bigger than `MAX_CLUSTER` (rapidfuzz's ratio >= `NEAR`, among examples of
three words or more: "cancel" and "cancel pls" are different lengths of one request)."""

from __future__ import annotations

from collections import Counter

import yaml
from rapidfuzz import fuzz, process

from assistant.config import PROJECT_ROOT
from tests.nlu.eval_sets import normalised

NEAR = 90.0
MAX_CLUSTER = 5
MIN_WORDS = 3


def _examples() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                lines = [line.strip()[2:] for line in item["examples"].splitlines() if line.strip().startswith("- ")]
                found.setdefault(item["intent"], []).extend(lines)
    return found


def near_duplicate_clusters(texts: list[str]) -> list[list[str]]:
    """Groups of texts linked by pairs at ratio >= NEAR (union-find over the pairs)."""
    long = [text for text in texts if len(text.split()) >= MIN_WORDS]
    parent = list(range(len(long)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    scores = process.cdist(long, long, scorer=fuzz.ratio, score_cutoff=NEAR)
    for i in range(len(long)):
        for j in range(i + 1, len(long)):
            if scores[i][j]:
                parent[root(i)] = root(j)
    groups: dict[int, list[str]] = {}
    for i, text in enumerate(long):
        groups.setdefault(root(i), []).append(text)
    return [group for group in groups.values() if len(group) > 1]


def test_no_example_is_given_twice_or_under_two_intents() -> None:
    where: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for intent, texts in _examples().items():
        for text in texts:
            key = normalised(text)
            counts[key] += 1
            where.setdefault(key, set()).add(intent)
    twice = sorted((text, sorted(where[text])) for text, n in counts.items() if n > 1)
    assert not twice, twice


def test_no_big_clusters_of_near_duplicates() -> None:
    too_big = {
        intent: cluster
        for intent, texts in _examples().items()
        for cluster in near_duplicate_clusters(texts)
        if len(cluster) > MAX_CLUSTER
    }
    assert not too_big, too_big


def test_the_cluster_finder_finds_clusters() -> None:
    texts = ["can i move my session", "can i move my sessions", "can i move my session?", "what is my zoom link"]
    assert near_duplicate_clusters(texts) == [texts[:3]]
