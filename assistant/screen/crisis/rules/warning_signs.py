"""Rules for crisis said without the crisis words: warning signs, means at hand, danger at
home, another person at risk, commanding voices.

Written from the categories a clinician's warning-sign list has (a plan, the means, saying
goodbye, giving things away, "won't be around"), not from single sentences: each pattern
names the sign and the few words that make it unambiguous ("i bought a rope" said on its
own, "a knife to my wrist", "he'd kill me if i left").  A bare mention of a means with
more after it ("i bought a rope for the tent") is left to the clause-end check.
Patterns are written in the language of patterns.py.
"""

from __future__ import annotations

from assistant.screen.crisis.rules.rule import HARM_OTHERS, SAFETY, SELF_HARM, SUICIDE, Rule

_MEANS = "gun|pistol|rifle|firearm|knife|blade|razor|rope|noose|@PILL"
_INTRUDER = "he|she|they|someone|somebody|@PERSON"
_HOME = "house|home|door|place|apartment|window|room|work|job|school"

WARNING_SIGN_RULES: tuple[Rule, ...] = (
    Rule(
        "warning_sign",
        SUICIDE,
        (
            # "won't be around anyway", "if i'm still alive next week", "won't matter soon"
            "not @ADV* be around|here|alive @ADV* anyway",
            "if i be @ADV* alive",
            "if i @ADV* make it that long|far",
            "not @ADV* matt|matter @ADV* soon",
            # a plan: "planning how i'd do it", "i have a plan and ..."
            "plan|figure|work out? how|when|where i @ADV* would|will|could|might|go|can @TO? @ADV* do it",
            "tonight be the night",
            "make @ADV* my @ADV* peace",
            # the means at hand or being got ready
            f"{_MEANS} be @ADV* in front of me",
            f"{_MEANS} be @ADV* next to me",
            f"{_MEANS} be @ADV* beside me",
            f"{_MEANS} be @ADV* ready|here **{{0,3}} me",
            "load|loaded|clean @POSSESSIVE|a? @ADV* gun|pistol|rifle|firearm",
            f"{_MEANS} **{{0,6}} think|thinking about @ADV* it|use|using|do|doing",
            "drink|swallow|eat|take|down *{0,3} bleach|antifreeze|poison|drano|lye|rat",
            "@INTENT @TO? @ADV* drive|crash|steer|swerve *{0,3} into|off a|the? @ADV* @CRASH_INTO",
            "crash|drive my @ADV* car *{0,3} on purpose",
            "knife|blade|razor|gun|pistol *{0,2} to|against|at my @ADV* wrist|throat|head|neck|arm|chest",
            "look|search|google @ADV* up? how many @PILL",
            "how many @PILL @ADV* it|do|does @ADV* take",
            # saying goodbye, giving things away
            "say|saying @ADV* goodbye to @ADV* everyone|everybody|world|yall",
            "say|saying @ADV* goodbye to the world",
            "this be @ADV* my last @ADV* message|text|goodbye|words",
            "give @ADV* away @ADV* my? @ADV* @BELONGINGS **{0,6} not @ADV* need",
            # how long they can keep living; not existing
            "how @ADV* much? long i @ADV* can|could @ADV* keep @ADV* live|alive|go|on|survive|hold",
            "how @ADV* much? long i @ADV* can|could @ADV* survive|hold on|last|live|go on",
            "think|thought|dream|fantasize @ADV* about @ADV* not @ADV* exist|existing|wake|waking",
            "think|thought|dream|fantasize @ADV* about @ADV* not @ADV* be here|alive|around",
            # "end it / things" for good, with a typo'd "too" or a "tonite"
            "end @ADV* thing|this|it|everything|myself @ADV* for good|forever|tonight|soon",
            "so @ADV* he|she|they|i @ADV* can|could|will|would|might @ADV* @DIE",
            "do it again **{0,4} cut|burn|hurt|harm @SELF",
        ),
        negatable=False,
        not_followed_by=frozenset({"appointment", "appt", "session", "slot"}),
    ),
    Rule(
        "means_said_alone",
        SUICIDE,
        (
            # Only as the whole clause: "i bought a rope" / "i wrote a note" (not "... for camping").
            "i @ADV* buy|bought|get|got|have|find|found @ADV* a|the|some @ADV* rope|noose",
            "i @ADV* write|wrote|leave|left|finish|finished @ADV* a|the|my @ADV* note|letter",
            "i @ADV* be on the|a @ADV* @HIGH_PLACE @ADV* right now",
            "i @ADV* be on the|a @ADV* @HIGH_PLACE @ADV* rn|now",
        ),
        negatable=False,
        clause_end=True,
    ),
    Rule(
        "self_harm_again",
        SELF_HARM,
        (
            "cut|burn|hurt|harm @SELF **{0,8} want|go|urge|need @TO? @ADV* do it @ADV* again",
            "tell|telling|tells|command|commanding me @TO? @ADV* hurt|kill|harm|cut|burn @SELF",
        ),
        negatable=False,
    ),
    Rule(
        "commanding_voices",
        HARM_OTHERS,
        (
            "voice **{0,6} kill|hurt|harm|stab|shoot|murder|die|jump",
            "tell|telling|tells|command|commanding me @TO? @ADV* hurt|kill|harm|stab|shoot @VICTIM",
            "tell|telling|tells|command|commanding me @TO? @ADV* hurt|kill|harm|stab|shoot my? @PERSON",
        ),
        negatable=False,
    ),
    Rule(
        "harm_with_weapon",
        HARM_OTHERS,
        (
            "make @VICTIM pay **{0,8} knife|gun|weapon|machete|pistol|rifle",
            "make my? @PERSON pay **{0,8} knife|gun|weapon|machete|pistol|rifle",
            "knife|gun|weapon|pistol|rifle **{0,6} make @VICTIM pay",
        ),
        negatable=False,
    ),
    Rule(
        "danger_at_home",
        SAFETY,
        (
            # abuse told in the present tense, or being abused
            "@POSSESSIVE? @PERSON|he|she|they @ADV* =hurts|=beats|=hits|=chokes|=abuses|=rapes me",
            "be @ADV* =abused|=beaten|=raped|=molested|=assaulted|=trafficked",
            "@ABUSE|abuse @ADV* at @ADV* home",
            "=touching|=touches|=touched me **{0,5} not @ADV* want|like|ok|okay",
            "touch|touching|touches|touched me @ADV* =inappropriately",
            # threats tied to leaving or telling
            "kill|hurt|murder|shoot|stab|beat me if i @ADV* leave|left|tell|told|call|called|report|go",
            # someone with a weapon at the door, breaking in
            f"outside|at|in @POSSESSIVE? @ADV* {_HOME} **{{0,3}} with a|his|her|their @ADV* gun|knife|weapon|rifle|bat",
            f"{_INTRUDER} @ADV* be? @ADV* =breaking|=kicking|=broke|=kicked @POSSESSIVE? @ADV* door down|in",
            "someone|somebody|he|she|they @ADV* be? @ADV* =breaking|=broke in|into",
            # an adult hurting a child or sibling at home
            "@PERSON|he|she @ADV* =hits|=beats|=abuses|=chokes|=hurts my @ADV* little|baby|younger|big? @ADV* @PERSON",
        ),
        negatable=False,
    ),
    Rule(
        "someone_else_in_danger",
        SUICIDE,
        (
            "cut|burn|hurt|harm himself|herself|themselves|themself **{0,3} not @ADV* stop",
            "cut|burn himself|herself|themselves|themself @ADV* again|on purpose|deliberately",
            "threaten|threatening|threatened @TO? @ADV* jump|overdose|od",
            "threaten|threatening|threatened @TO? @ADV* end it|everything",
            "he|she|they @ADV* wish|wishes|want|wants @ADV* he|she|they @ADV* be|were|was|would @ADV* dead",
            "stop @ADV* take|taking @POSSESSIVE @ADV* @PILL **{0,3} @DIE",
        ),
        negatable=False,
    ),
)
