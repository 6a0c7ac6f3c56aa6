"""The spaCy side of the crisis screen: one comparable key per token, and the matchers.

spaCy is imported lazily (it is slow to import and only needed on first use); the
pipeline and matchers are built once per process.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from assistant.screen.crisis.patterns import compile_pattern
from assistant.screen.crisis.rules import FIGURES, RULES
from assistant.screen.crisis.texting import LEET, REWRITES, TEXTING

if TYPE_CHECKING:  # spaCy is imported lazily: it is slow to import and only needed on first use
    from spacy.language import Language
    from spacy.lookups import Table
    from spacy.matcher import Matcher
    from spacy.tokens import Doc


def prepare(text: str) -> str:
    """Lowercase `text` and rewrite multi-word spellings to the single words the rules expect."""
    prepared = text.lower()
    for pattern, replacement in REWRITES:
        prepared = pattern.sub(replacement, prepared)
    return prepared


@cache
def nlp() -> Language:
    """The tokenizer + lookup lemmatizer + key component, built once per process."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("crisis_keys"):  # registration is global to the process
        Language.component("crisis_keys", func=_set_keys)
    pipeline = spacy.blank("en")
    pipeline.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipeline.add_pipe("crisis_keys")
    pipeline.initialize()
    return pipeline


@cache
def _lemma_table() -> Table:
    from spacy.pipeline import Lemmatizer

    lemmatizer = nlp().get_pipe("lemmatizer")  # typed as any pipe component
    if not isinstance(lemmatizer, Lemmatizer):
        raise TypeError(f"the 'lemmatizer' pipe is a {type(lemmatizer).__name__}")
    return lemmatizer.lookups.get_table("lemma_lookup")


def _set_keys(doc: Doc) -> Doc:
    """Store one comparable key per token in `norm_` (what every rule matches on)."""
    table = _lemma_table()
    for token in doc:
        low = token.lower_
        key = TEXTING.get(low) or TEXTING.get(token.norm_)
        if key is None and any(ch.isdigit() for ch in low) and any(ch.isalpha() for ch in low):
            deleeted = low.translate(LEET)  # "su1c1de" -> "suicide"
            key = TEXTING.get(deleeted, deleeted)
        if key is None:
            # spaCy's norm fixes contractions ("ca" -> "can", "gon" -> "going").
            key = table.get(token.norm_, token.norm_) if token.norm_ != low else token.lemma_
        token.norm_ = key or low
    return doc


@cache
def rule_matcher() -> Matcher:
    """Every rule's patterns, one match id per rule name."""
    from spacy.matcher import Matcher

    matcher = Matcher(nlp().vocab)
    # Not greedy: every overlapping reading is checked, and a rule fires if any passes.
    for rule in RULES:
        matcher.add(rule.name, [compile_pattern(p) for p in rule.patterns])
    return matcher


@cache
def figure_matcher() -> Matcher:
    """The figures of speech, all under one match id."""
    from spacy.matcher import Matcher

    matcher = Matcher(nlp().vocab)
    matcher.add("figure", [compile_pattern(p) for p in FIGURES])
    return matcher
