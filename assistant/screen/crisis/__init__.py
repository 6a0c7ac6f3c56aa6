"""Spot crisis language (suicide, self-harm, harm to others, "I'm not safe") in a message.

Every inbound message passes through `assess` before any intent handling, so the
front desk can answer a person in danger with 988 / emergency information instead
of a booking menu.  The cost of a miss is far higher than the cost of a false
alarm, so the rules are generous with texting style and typos; the precision
comes from requiring crisis-specific wording (an object like "myself", an intent
like "want to", a clause ending after "go on") and from negation handling.

How it works (one module per step):
  1. `keys.prepare` lowercases the text and rewrites a few multi-word spellings
     ("my self", "un-alive", "sewer slide") to single words (`texting.REWRITES`).
  2. spaCy `blank("en")` tokenizes (it already splits "im", "dont", "gonna"),
     the lookup lemmatizer gives lemmas, and the `crisis_keys` component
     (`keys.py`) stores one comparable key per token in `Token.norm_` (lemma of
     the normalised form, after the texting/typo table `texting.TEXTING`).  All
     rules match on that key.
  3. `rules.RULES` is the table of named patterns (one module per category under
     `rules/`), written in a tiny word-level language (`patterns.py`) whose
     `@CLASS` words are the word classes of `vocabulary.py`.
  4. `engine.assess` checks each match (all of them, overlapping ones included, so
     one disqualified reading cannot hide another): overlap with a known figure of
     speech (`rules.FIGURES`: "shoot myself in the foot"), negation in front of it
     ("not", "never", "no", "n't" reached only through the filler words of
     `context.py`, like "going to"), a required clause end, or a disqualifying
     neighbour word.

`CrisisAssessment.matched` carries rule names only, never message text, so it is
safe to log.
"""

from assistant.screen.crisis.context import BRIDGE, BRIDGE_SPAN, CLAUSE_BREAK, NEGATIONS
from assistant.screen.crisis.engine import CrisisAssessment, assess
from assistant.screen.crisis.rules import FIGURES, RULES
from assistant.screen.crisis.rules.rule import HARM_OTHERS, SAFETY, SELF_HARM, SUICIDE, Rule
from assistant.screen.crisis.texting import TEXTING
from assistant.screen.crisis.vocabulary import CLASSES

__all__ = [
    "BRIDGE",
    "BRIDGE_SPAN",
    "CLASSES",
    "CLAUSE_BREAK",
    "FIGURES",
    "HARM_OTHERS",
    "NEGATIONS",
    "RULES",
    "SAFETY",
    "SELF_HARM",
    "SUICIDE",
    "TEXTING",
    "CrisisAssessment",
    "Rule",
    "assess",
]
