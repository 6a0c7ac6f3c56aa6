"""The crisis rule table, in firing order, and the figures of speech that cancel a match.

The order of `RULES` is the order of `CrisisAssessment.matched`: suicide, self-harm,
harm to others, safety.  Patterns are written in the language of patterns.py.
"""

from __future__ import annotations

from assistant.screen.crisis.rules.harm import HARM_RULES
from assistant.screen.crisis.rules.rule import Rule
from assistant.screen.crisis.rules.safety import SAFETY_RULES
from assistant.screen.crisis.rules.suicide import SUICIDE_RULES
from assistant.screen.crisis.rules.warning_signs import WARNING_SIGN_RULES

RULES: tuple[Rule, ...] = SUICIDE_RULES + HARM_RULES + SAFETY_RULES + WARNING_SIGN_RULES

# Figures of speech that contain a crisis pattern; a match overlapping one is dropped.
FIGURES: tuple[str, ...] = (
    "shoot @SELF in the foot",
    "kill @SELF laughing|laugh",
    "drown @SELF in @ADV* work|coffee|paperwork|email|homework|tea|chore|study|debt",
    "cut @SELF off|slack|some|a",
    "burn @SELF out",
    "cut back|down|out|off|corners|corner|costs|cost|carbs|carb|ties|class|coupon|hair|grass|lawn",
    "hurt @VICTIM|@PERSON @ADV* feeling",
    "hurt my @ADV* @PERSON @ADV* feeling",
    "kill @VICTIM with kindness",
    "beat @VICTIM to|at|there|by",
    "midlife|financial|identity|housing|climate|existential|economic|opioid crisis",
    "crisis of",
    # Hyperbole about things, not people: "overdosed on coffee", "homework is killing my son".
    "overdose|od on @ADV* coffee|caffeine|sugar|candy|chocolate|netflix|tv|pizza|cake|cookie|work|espresso|energy",
    "on the|a bridge|overpass **{0,6} traffic|bus|stuck|late|driving|drive|commute|jam|construction|toll|car",
    "homework|work|job|school|commute|traffic|portal|form|heat|class|practice|schedule be @ADV* =killing",
    "exam|test|paperwork|app|wait|week|day|math|this|it|that be @ADV* =killing",
)
