"""Rules for self-harm and for harm to others.

Patterns are written in the language of patterns.py.
"""

from __future__ import annotations

from assistant.screen.crisis.rules.rule import HARM_OTHERS, SELF_HARM, Rule

HARM_RULES: tuple[Rule, ...] = (
    # ---- self-harm -----------------------------------------------------------------------
    Rule(
        "self_harm",
        SELF_HARM,
        (
            "selfharm",
            "=cutting|=burning|=hurting|=harming|=injuring|=hitting @SELF",
            "@INTENT @TO? @ADV* cut|burn|hurt|harm|injure|hit|punch|bruise @ADV* @SELF",
            "harm @SELF",
            "cut|burn|hurt|harm @SELF @ADV* again|deep|deeply",
            "cut|burn @SELF @ADV* last night",
            "cut|burn @SELF @ADV* yesterday",
            "burn @SELF *{0,3} =lighter|=lighters|=cigarette|=cigarettes|=match|=matches|=iron",
            "=been @ADV* =cutting|=burning",
            "=cutting @ADV* again",
            "start|relapse @ADV* =cutting",
            "relapse *{0,3} cut|burn|hurt|harm",
            "cut|burn|hurt|harm|scratch|hit @SELF *{0,4} on purpose",
            "until|till|til i @ADV* bleed",
            "do something to @SELF",
            "do something @ADV* bad|stupid|dangerous to @SELF",
            "what i @ADV* might|could|would|will|may @ADV* do to @SELF",
            "sh @ADV* urge|urges|again|relapse",
            "urge|urges to @ADV* sh",
            "razor|blade on|to my @ADV* arm|wrist|skin|thigh|leg",
        ),
    ),
    Rule(
        "self_harm_bare",
        SELF_HARM,
        (
            "i be @ADV* =cutting|=burning @ADV* again?",
            "i @ADV* have? be? @ADV* =cutting|=burning @ADV* again",
            "urge|impulse to @ADV* cut|hurt|harm|burn",
            "@INTENT @TO? @ADV* cut|burn",
            "i @ADV* cut|burn @ADV* last night",
            "i @ADV* cut|burn @ADV* again|yesterday",
            "i @ADV* cut @SELF",
            "=took|=swallowed @ADV* pill|pills",
        ),
        clause_end=True,
    ),
    # ---- harm to others ------------------------------------------------------------------
    Rule(
        "harm_others",
        HARM_OTHERS,
        (
            "@THREAT @TO? @ADV* @VIOLENCE @ADV* @VICTIM",
            "@THREAT @TO? @ADV* @VIOLENCE @ADV* @POSSESSIVE @ADV* @PERSON",
            "=killing|=hurting|=harming|=murdering|=stabbing|=shooting @VICTIM",
            "=killing|=hurting|=harming|=murdering|=stabbing|=shooting my @ADV* @PERSON",
            "murder @VICTIM",
            "murder @POSSESSIVE @PERSON",
            "want|wish @VICTIM @ADV* dead",
            "want|wish my @PERSON @ADV* dead",
            "hurt|harm|kill other",
            "hurt|harm|kill somebody|someone @ADV* else",
            "shoot up @POSSESSIVE|a? @ADV* school|office|work|place|church|building|class",
            "mass shooting",
            "could @ADV* kill|hurt|harm|murder @ADV* someone|somebody|people|anyone|everyone|everybody",
        ),
        not_followed_by=frozenset({"a", "an", "over", "back", "some", "up", "down"}),
    ),
)
