"""Spot crisis language (suicide, self-harm, harm to others, "I'm not safe") in a message.

Every inbound message passes through `assess` before any intent handling, so the
front desk can answer a person in danger with 988 / emergency information instead
of a booking menu.  The cost of a miss is far higher than the cost of a false
alarm, so the rules are generous with texting style and typos; the precision
comes from requiring crisis-specific wording (an object like "myself", an intent
like "want to", a clause ending after "go on") and from negation handling.

How it works:
  1. `_prepare` lowercases the text and rewrites a few multi-word spellings
     ("my self", "un-alive", "sewer slide") to single words.
  2. spaCy `blank("en")` tokenizes (it already splits "im", "dont", "gonna"),
     the lookup lemmatizer gives lemmas, and the `crisis_keys` component stores
     one comparable key per token in `Token.norm_` (lemma of the normalised
     form, after a texting/typo table).  All rules match on that key.
  3. `RULES` is the table of named patterns, written in a tiny word-level
     language compiled to `Matcher` patterns (see `_compile`).
  4. Each match (all of them, overlapping ones included, so one disqualified
     reading cannot hide another) is then checked: overlap with a known figure
     of speech (`FIGURES`: "shoot myself in the foot"), negation in front of it
     ("not", "never", "no", "n't" reached only through filler words like
     "going to"), a required clause end, or a disqualifying neighbour word.

`CrisisAssessment.matched` carries rule names only, never message text, so it is
safe to log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spaCy is imported lazily: it is slow to import and only needed on first use
    from spacy.language import Language
    from spacy.lookups import Table
    from spacy.matcher import Matcher
    from spacy.tokens import Doc


@dataclass(frozen=True)
class CrisisAssessment:
    is_crisis: bool
    matched: tuple[str, ...] = ()  # rule names (never message text), in rule-table order
    reason: str = ""


@dataclass(frozen=True)
class Rule:
    """One named family of crisis phrasings.

    negatable:       a negation shortly before the match cancels it ("i'm not suicidal").
                     False for rules whose wording already contains the negation
                     ("i can't go on", "i don't want to be alive").
    clause_end:      the match must end its clause ("i can't go on" but not
                     "i can't go on friday").
    not_followed_by: keys that disqualify the match when they come right after it
                     ("want to die for", "want to die my hair").
    not_after_number: for abbreviations that collide with units ("30 kms").
    at_start:        the match must open the message ("not safe" as the whole answer).
    """

    name: str
    category: str
    patterns: tuple[str, ...]
    negatable: bool = True
    clause_end: bool = False
    not_followed_by: frozenset[str] = frozenset()
    not_after_number: bool = False
    at_start: bool = False


SUICIDE = "suicide"
SELF_HARM = "self_harm"
HARM_OTHERS = "harm_to_others"
SAFETY = "safety"

_CATEGORY_REASON = {
    SUICIDE: "possible suicide risk",
    SELF_HARM: "possible self-harm",
    HARM_OTHERS: "possible risk of harm to others",
    SAFETY: "client may not be safe",
}

# Word classes usable in patterns as @NAME.  Values are token keys (lemmas after
# the texting table), so "killing"/"killed" are both "kill" and "wanna" is "want".
CLASSES: dict[str, tuple[str, ...]] = {
    "SELF": ("myself", "self"),
    # Fillers people put inside these phrases: "i just really want to die".
    "ADV": (
        "just",
        "really",
        "kinda",
        "kind",
        "sort",
        "of",
        "so",
        "literally",
        "honestly",
        "seriously",
        "actually",
        "truly",
        "lowkey",
        "highkey",
        "fr",
        "totally",
        "even",
        "still",
        "sometimes",
        "probably",
        "definitely",
        "fucking",
        "fuckin",
        "freaking",
        "effing",
        "fking",
        "fcking",
        "freakin",
        "legit",
        "genuinely",
        "finally",
        "go",
        "simply",
        "all",
        "quietly",
        "rather",
    ),
    # Before a self-directed act: "want to", "going to", "gonna", "plan on", "might",
    # "thinking about", "feel like", "'ll" ... (broad: these acts are never figurative).
    "INTENT": (
        "want",
        "go",
        "gonna",
        "plan",
        "ready",
        "about",
        "try",
        "will",
        "need",
        "might",
        "may",
        "wish",
        "decide",
        "urge",
        "intend",
        "think",
        "feel",
        "get",
        "have",
        "hope",
        "should",
        "could",
        "would",
        "start",
        "keep",
        "tempt",
        "consider",
        "desire",
        "impulse",
        "thought",
        "afraid",
        "scared",
    ),
    # Before "die": desire only.  "going to die"/"would die" are usually hyperbole
    # ("i'm gonna die if i don't get coffee", "i'd die for a saturday slot").
    "DESIRE": (
        "want",
        "wish",
        "ready",
        "plan",
        "try",
        "hope",
        "pray",
        "decide",
        "think",
        "feel",
        "deserve",
        "need",
        "should",
        "urge",
        "desire",
        "consider",
        "thought",
        "about",
    ),
    # Before harm to others: intent, but not "could"/"would"/"have to" ("i could kill him",
    # "i'd kill for a monday slot" are nearly always hyperbole).
    "THREAT": (
        "want",
        "go",
        "gonna",
        "plan",
        "ready",
        "about",
        "try",
        "will",
        "need",
        "might",
        "may",
        "decide",
        "urge",
        "intend",
        "think",
        "feel",
        "get",
        "start",
        "keep",
        "tempt",
        "consider",
        "desire",
        "impulse",
        "thought",
        "afraid",
        "scared",
    ),
    "TO": ("to", "2", "on", "of", "about", "like", "into"),
    # Harm to others: who.  Deliberately no "me" ("my mom is going to kill me").
    "VICTIM": (
        "him",
        "her",
        "them",
        "someone",
        "somebody",
        "people",
        "everyone",
        "everybody",
        "others",
        "you",
        "u",
        "ya",
        "y'all",
        "yall",
    ),
    "PERSON": (
        "mom",
        "mother",
        "dad",
        "father",
        "wife",
        "husband",
        "boyfriend",
        "girlfriend",
        "bf",
        "gf",
        "partner",
        "ex",
        "boss",
        "son",
        "daughter",
        "kid",
        "child",
        "brother",
        "sister",
        "roommate",
        "neighbor",
        "neighbour",
        "coworker",
        "family",
        "baby",
        "therapist",
        "friend",
        "stepdad",
        "stepmom",
        "teacher",
        "manager",
        "landlord",
        "parent",
        "spouse",
        "fiance",
        "fiancee",
        "guy",
        "girl",
        "man",
        "woman",
        "sibling",
        "cousin",
        "uncle",
        "aunt",
        "grandma",
        "grandpa",
        "classmate",
        "colleague",
        "doctor",
        "counselor",
        "bitch",
        "bastard",
        "kids",
        "children",
    ),
    "POSSESSIVE": ("my", "the", "that", "this", "his", "her", "their", "our"),
    "DIE": ("die", "dye"),  # "dying" is keyed to "die" by the texting table
    "ALIVE": ("alive", "alve", "alife", "live"),
    "PILL": (
        "pill",
        "meds",
        "med",
        "medication",
        "medicine",
        "tablet",
        "bottle",
        "tylenol",
        "xanax",
        "advil",
        "benadryl",
        "ibuprofen",
        "sleeping",
        "insulin",
        "painkiller",
        "oxy",
        "prescription",
    ),
    "LOTS": ("all", "bunch", "handful", "whole", "entire", "too", "lot", "every", "many"),
    "VIOLENCE": (
        "kill",
        "hurt",
        "harm",
        "stab",
        "shoot",
        "murder",
        "strangle",
        "choke",
        "beat",
        "attack",
        "poison",
        "punch",
    ),
    # Not "hurt" in the past tense: "he really hurt me" is usually about feelings.
    "ABUSE": ("hit", "beat", "choke", "strangle", "rape", "abuse", "assault", "punch", "slap", "kick"),
    "HIGH_PLACE": ("bridge", "building", "roof", "rooftop", "cliff", "balcony", "overpass", "tower", "ledge", "edge"),
    "BELONGINGS": ("stuff", "thing", "belonging", "belongings", "possession"),
}

# Multi-word spellings rewritten before tokenizing, so rules can treat them as one word.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[\u2018\u2019\u02bc`\u00b4]", "'"),
        (r"([a-z])\1{2,}", r"\1\1"),  # "killlll" -> "kill"
        (r"\bm(?:y|i)\s*-?\s*s(?:elf|lef|ef|elfe|elv|ef)\b", "myself"),
        (r"\bun\s*-?\s*aliv(?:e|ing|ed)\b", "unalive"),
        (r"\bself\s*-?\s*(?:harm\w*|injur\w*|mutilat\w*)", "selfharm"),
        (r"\bsewer\s*-?\s*slid(?:e|ing)\b", "suicide"),
        (r"\bk\W?m\W?s\b", "kms"),
        (r"\bno\s*-?\s*one\b", "nobody"),
        (r"\bnoone\b", "nobody"),
    )
)

# Texting spellings, contractions spaCy leaves alone, and common typos -> key.
# Applied to the lowercased token text and to spaCy's own norm of it.
TEXTING: dict[str, str] = {
    # intent / auxiliaries
    "wanna": "want",
    "wana": "want",
    "wnat": "want",
    "wamt": "want",
    "wan": "want",
    "whant": "want",
    "wnt": "want",
    "want2": "want",
    "wants": "want",
    "gonna": "go",
    "gunna": "go",
    "gona": "go",
    "imma": "go",
    "ima": "go",
    "finna": "go",
    "tryna": "try",
    "ill": "will",
    "gotta": "get",
    "hafta": "have",
    "thinkin": "think",
    "thinkn": "think",
    "tryin": "try",
    "goin": "go",
    "plannin": "plan",
    "m": "be",
    "'s": "be",
    "r": "be",
    "cant": "can",
    "cannot": "can",
    "cnt": "can",
    "dont": "do",
    "doesnt": "do",
    "didnt": "do",
    "wont": "will",
    "wouldnt": "would",
    "nt": "not",
    "n't": "not",
    "nope": "no",
    "nah": "no",
    "nevr": "never",
    "neva": "never",
    # the crisis vocabulary and its usual typos
    "kil": "kill",
    "kll": "kill",
    "kiil": "kill",
    "klll": "kill",
    "killin": "kill",
    "kilin": "kill",
    "kiling": "kill",
    "kild": "kill",
    "kiled": "kill",
    "myslef": "myself",
    "mysef": "myself",
    "mself": "myself",
    "meself": "myself",
    "myselfe": "myself",
    "myseld": "myself",
    "myelf": "myself",
    "mysel": "myself",
    "mysefl": "myself",
    "myslf": "myself",
    "mysself": "myself",
    "misself": "myself",
    "dying": "die",
    "dyin": "die",
    "diee": "die",
    "dei": "die",
    "dieing": "die",
    "kms": "kms",
    "kmsss": "kms",
    "unalive": "unalive",
    "unaliving": "unalive",
    "unalived": "unalive",
    "od": "od",
    "o.d.": "od",
    "od'd": "overdose",
    "oding": "od",
    "overdose": "overdose",
    "overdosing": "overdose",
    "overdosed": "overdose",
    "ovrdose": "overdose",
    "overdoes": "overdose",
    "overdos": "overdose",
    "hurtin": "hurt",
    "hurtting": "hurt",
    "cuttin": "cut",
    "cuting": "cut",
    "alivee": "alive",
    "alve": "alive",
    "aliv": "alive",
    "lfe": "life",
    "lyfe": "life",
    "lif": "life",
    "anymore": "anymore",
    "anymor": "anymore",
    "nemore": "anymore",
    "nymore": "anymore",
    "livin": "live",
    "living": "live",
    "lives": "live",
    "somone": "someone",
    "sumone": "someone",
    "some1": "someone",
    "sum1": "someone",
    "ppl": "people",
    "every1": "everyone",
    "no1": "nobody",
    "selfharm": "selfharm",
    "selfharming": "selfharm",
    "suicde": "suicide",
    "suecide": "suicide",
    "unsafe": "unsafe",
    "safe": "safe",
    # The lookup table's lemmas that would hide the meaning these rules need.
    "better": "better",
    "born": "born",
    "gone": "gone",
    "left": "left",
    "tired": "tired",
    "scared": "scared",
    "afraid": "afraid",
    "terrified": "terrified",
    "could": "could",
    "might": "might",
    "would": "would",
    "should": "should",
    "shouldnt": "should",
    "couldnt": "could",
    "children": "child",
    "kids": "kid",
}

_LEET = str.maketrans({"1": "i", "3": "e", "0": "o", "@": "a", "$": "s", "4": "a", "5": "s"})

NEGATIONS = frozenset({"not", "never", "no", "nobody", "nothing"})
# What may come before an `at_start` match: "help, not safe", "ok so not safe".
_OPENERS = frozenset(
    {
        "help",
        "please",
        "pls",
        "plz",
        "ok",
        "okay",
        "so",
        "um",
        "uh",
        "honestly",
        "i",
        "be",
        "just",
        "really",
        "tbh",
        "idk",
        "hi",
        "hey",
    }
)
# Negations of ability are not denials: "i can't kill myself (because of my kids)".
_ABILITY = frozenset({"can", "could"})
# Words that may sit between a negation and the phrase it negates:
# "not [going to] hurt myself", "no [thoughts of] suicide", "never [been] suicidal".
# Keys, so lemmas: "going" is "go", "thoughts" is "thought", "having" is "have".
BRIDGE = frozenset(
    {
        "go",
        "to",
        "want",
        "really",
        "ever",
        "even",
        "be",
        "actually",
        "plan",
        "try",
        "think",
        "about",
        "of",
        "feel",
        "feeling",
        "a",
        "any",
        "at",
        "all",
        "have",
        "do",
        "will",
        "would",
        "more",
        "long",
        "intend",
        "intention",
        "thought",
        "urge",
        "desire",
        "currently",
        "moment",
        "seriously",
        "honestly",
        "literally",
        "in",
        "danger",
        "like",
        "that",
        "kind",
        "kinda",
        "sort",
        "remotely",
        "risk",
        "wish",
        "anymore",
        "so",
        "too",
        "much",
        "the",
        "slightly",
        "something",
        "also",
        "experience",
        "consider",
        "ideation",
        "idea",
    }
)
BRIDGE_SPAN = 6  # at most this many bridge words between the negation and the phrase
# What may directly follow a match for `clause_end` rules ("i can't go on" + this).
CLAUSE_BREAK = frozenset(
    {
        "and",
        "but",
        "so",
        "because",
        "cause",
        "cuz",
        "bc",
        "lol",
        "lmao",
        "anymore",
        "again",
        "ever",
        "tonight",
        "today",
        "tomorrow",
        "now",
        "rn",
        "honestly",
        "tbh",
        "idk",
        "please",
        "pls",
        "plz",
        "i",
        "like",
        "any",
        "forever",
        "right",
        "soon",
        "anyway",
        "anyways",
        "though",
        "or",
        "ok",
        "okay",
        "help",
        "just",
        "man",
        "dude",
        "fr",
        "seriously",
        "literally",
        "ngl",
        "smh",
        "omg",
        "ugh",
        "without",
        "im",
        "cant",
        "really",
        "either",
        "alone",
        "whatever",
        "tho",
        "then",
        "much",
        "if",
        "when",
        "since",
        "no",
        "nobody",
        "everything",
        "sometimes",
        "honest",
    }
)

# The rule table.  Pattern language, one token per word:
#   word        token key equals word          a|b|c     key is one of these
#   =word       exact lowercase surface form   ~word     fuzzy (<= 2 edits) on the key
#   @CLASS      key in CLASSES[CLASS]          *         any one non-punctuation token
#                                              **        any one token, even punctuation
#   suffix ?    optional    suffix *   zero or more    suffix {0,3}  repeat range
# An alternation covers ONE token: "go on|keep go" means go, on-or-keep, go.  Write
# multi-word alternatives as separate patterns.
RULES: tuple[Rule, ...] = (
    # ---- suicide -------------------------------------------------------------------------
    Rule(
        "suicide_word",
        SUICIDE,
        (
            "~suicide",
            "~suicidal",
            "suicidality",
            "=suicidial|=suicidel|=sucidal|=suicidle|=suisidal|=suiside|=sucide|=suicid",
        ),
    ),
    Rule(
        "kill_myself",
        SUICIDE,
        (
            "kill @ADV* @SELF",
            "kill my @ADV* self",
            "kms",
            "unalive",
            "take my @ADV* own? life",
            "end my @ADV* own? life|live",
            "end @ADV* it all",
            "@INTENT @TO? @ADV* off @SELF",
            "end @SELF",
        ),
        not_after_number=True,
    ),  # "kms" vs "30 kms"
    Rule(
        "end_it",
        SUICIDE,
        (
            "@INTENT @TO? @ADV* end it|thing|everything|this",
            "want|wish|need it|everything|this|thing @ADV* to @ADV* end|stop",
            "want|wish|need it|everything|this|thing @ADV* to @ADV* be over",
            "@INTENT @TO? @ADV* jump",
            "@DESIRE @TO? @ADV* commit|disappear|vanish",
            "@DESIRE @ADV* out",
            "want|need|wish the|this|my @ADV* pain to @ADV* stop|end",
            "want|need|wish the|this|my @ADV* pain to @ADV* go away",
            "end it|everything @ADV* tonight|now|rn|today|forever|soon",
            "end it|everything @ADV* for good",
        ),
        clause_end=True,
    ),
    Rule(
        "want_to_die",
        SUICIDE,
        (
            "@DESIRE @TO? @ADV* @DIE",
            "@DESIRE @TO? @ADV* be dead",
            "wish i @ADV* be|would @ADV* dead",
            "wish i @ADV* would|could @ADV* @DIE",
            "wish i @ADV* have? @ADV* never be? born",
            "deserve to @ADV* @DIE",
            "ready to @ADV* @DIE",
            "rather @ADV* be dead",
            "hope|pray i @ADV* @DIE",
            "let me @ADV* @DIE",
            "feel like =dying",
            "want my life to @ADV* end",
            "want my life to @ADV* be over",
            "wish i @ADV* could @ADV* disappear|vanish",
            "disappear|vanish forever",
            "disappear|vanish @ADV* for good",
            "disappear|vanish and never @ADV* come back",
            "way to @ADV* @DIE",
            "want to @ADV* stop @ADV* exist|existing|breathing",
            "how to @ADV* @DIE",
            "painless|easy|quick|easiest|best @ADV* way to @ADV* @DIE",
            "how many @PILL *{0,4} @DIE|overdose|od|kill",
        ),
        not_followed_by=frozenset(
            {"for", "my", "of", "laughing", "laugh", "the", "her", "his", "it", "on", "from", "to", "inside", "over"}
        ),
    ),
    Rule(
        "dont_want_to_live",
        SUICIDE,
        (
            "not|never @ADV* want to? @ADV* be @ADV* @ALIVE",
            "not|never @ADV* want to? @ADV* exist",
            "not|never @ADV* want to? @ADV* be here|around @ADV* anymore|long|again",
            "not|never @ADV* want to? @ADV* live @ADV* anymore|long|again",
            "not|never @ADV* want to? @ADV* wake up @ADV* anymore|again|tomorrow|ever",
            "no @ADV* long|more @ADV* want to? @ADV* live|exist",
            "not @ADV* be around|here @ADV* for? much long",
            "not @ADV* plan @TO? @ADV* be around|here @ADV* for? much long",
            "why be i @ADV* alive",
            "why i be @ADV* alive",
            "not *{0,4} be @ADV* alive",
            "no point **{0,8} not @ADV* be here|around|alive",
            "not bother **{0,8} not @ADV* be here|around|alive",
            "what be the @ADV* point **{0,8} not @ADV* be here|around|alive",
            "sleep and @ADV* not|never @ADV* wake up",
            "no @ADV* long|more @ADV* want to? @ADV* be alive|here|around",
            "not @ADV* deserve to @ADV* live|exist",
            "not @ADV* deserve to @ADV* be alive",
            "not @ADV* wish to @ADV* live",
            "wish i @ADV* do not @ADV* exist",
            "wish i @ADV* be not @ADV* alive|here|born|around",
            "should not @ADV* be alive|exist",
            "should not @ADV* exist",
            "want to @ADV* not @ADV* exist",
            "want to @ADV* not @ADV* be alive|here",
            "want to @ADV* not @ADV* wake up",
            "not @ADV* sure|know if|whether|that? i @ADV* want to? @ADV* live|exist",
            "not @ADV* sure|know if|whether|that? i @ADV* want to? @ADV* be alive|here|around",
        ),
        negatable=False,
    ),
    Rule(
        "dont_want_to_live_bare",
        SUICIDE,
        (
            "not|never @ADV* want to? @ADV* live",
            "not @ADV* feel like @ADV* live",
            "not|never @ADV* want to? @ADV* wake up",
            "never @ADV* wake up",
            "hope|pray|wish i @ADV* do? not|never @ADV* wake up",
            "sleep forever",
            "tired|sick|done of|with @ADV* live|life|existing|exist",
            "tired|sick of @ADV* be alive",
        ),
        negatable=False,
        clause_end=True,
    ),
    Rule(
        "no_reason_to_live",
        SUICIDE,
        (
            "no|not|nothing @ADV* reason|point|purpose @ADV* to|in|of @ADV* live|exist|existing",
            "no|not|nothing @ADV* reason|point|purpose @ADV* to|in|of @ADV* be|stay|keep @ADV* alive",
            "no|not|nothing @ADV* reason|point|purpose @ADV* to|in|of @ADV* keep @ADV* live",
            "no reason to @ADV* keep @ADV* live|try",
            "nothing @ADV* left? to live for",
            "no|nothing @ADV* to live for",
            "what be the @ADV* point of|in @ADV* live|life|exist|existing|anything",
            "what be the @ADV* point of|in @ADV* be alive",
            "not @ADV* see @ADV* the|a|any? @ADV* point|reason|purpose in|of|to @ADV* live|exist|life",
            "not @ADV* see @ADV* the|a|any? @ADV* point|reason|purpose in|of|to @ADV* be alive",
            "not @ADV* worth @ADV* live",
            "not @ADV* worth it @ADV* anymore",
            "life be not @ADV* worth",
            "life be @ADV* pointless|worthless|meaningless|hopeless",
            "my life be @ADV* not @ADV* worth",
            "not @ADV* see @ADV* the|a|any? @ADV* point|reason|purpose in|of|to @ADV* go on",
            "not @ADV* see @ADV* the|a|any? @ADV* point|reason|purpose in|of|to @ADV* keep go|live|try",
            "no @ADV* hope @ADV* for|left @ADV* me",
            "lose @ADV* all @ADV* hope",
            "i have @ADV* no @ADV* hope @ADV* left?",
            "goodbye|bye @ADV* cruel? world",
            "goodbye|bye @ADV* forever|everyone|everybody",
            "goodbye @ADV* for good",
            "i @ADV* go|disappear|vanish for good",
        ),
        negatable=False,
        not_followed_by=frozenset({"of", "that", "in"}),
    ),
    Rule(
        "burden",
        SUICIDE,
        (
            "i be @ADV* a|such|nothing|just? @ADV* a? @ADV* burden",
            "feel like @ADV* a|such? @ADV* burden",
        ),
    ),
    Rule(
        "better_off_dead",
        SUICIDE,
        (
            "=better off @ADV* dead",
            "=better off @ADV* without me",
            "=better|=easier|=happier @ADV* without me",
            "=better|=easier|=happier off? if|when i @ADV* @DIE|disappear|vanish",
            "=better|=easier|=happier off? if|when i @ADV* be|go @ADV* gone|dead|away",
            "=better|=easier|=happier off? if|when i @ADV* never @ADV* exist",
            "=better|=easier|=happier off? if|when i @ADV* be? @ADV* not|never @ADV* here|around",
            "=better|=easier|=happier off? if|when i @ADV* be? @ADV* not|never @ADV* alive|born",
            "=better|=easier|=happier off? if|when i @ADV* do not @ADV* exist",
            "nobody @ADV* would|will|go @ADV* miss me",
            "nobody @ADV* would|will|go @ADV* care|notice if|when i",
        ),
        negatable=False,
    ),
    Rule(
        "cant_go_on",
        SUICIDE,
        (
            "can not @ADV* go on",
            "can not @ADV* keep @ADV* go|live",
            "can not @ADV* continue|carry",
            "no reason to @ADV* go on",
            "can no @ADV* long|more @ADV* go on",
            "can no @ADV* long|more @ADV* continue|live",
            "can no @ADV* long|more @ADV* keep go|live",
            "what be the @ADV* point of|in @ADV* go on",
            "what be the @ADV* point of|in @ADV* keep go|try",
            "no reason to @ADV* keep go",
            "can not @ADV* take it|this",
        ),
        negatable=False,
        clause_end=True,
    ),
    Rule(
        "cant_go_on_like_this",
        SUICIDE,
        (
            "can not @ADV* go on @ADV* live|like",
            "can not @ADV* go on @ADV* with @ADV* my? life",
            "can not @ADV* live @ADV* like this|anymore",
            "can not @ADV* do|take|handle|bear|stand this|it @ADV* anymore|long",
            "can not @ADV* do|take|handle|bear|stand this|it @ADV* any @ADV* more|long",
            "can not @ADV* anymore",
        ),
        negatable=False,
        not_followed_by=frozenset({"off", "out", "back", "down", "up", "to", "in", "into", "on", "with", "home"}),
    ),
    Rule(
        "suicide_plan_or_method",
        SUICIDE,
        (
            "hang|shoot|drown|stab|poison|suffocate|strangle|electrocute @SELF",
            "jump off|from @POSSESSIVE|a? @ADV* @HIGH_PLACE",
            "jump|step|walk in front of @POSSESSIVE|a? train|car|bus|truck|subway",
            "gun|pistol|bullet *{0,3} to|in|through|at|against my @ADV* head|brain|mouth|temple",
            "blow my @ADV* brain out",
            "noose",
            "slit|cut my @ADV* wrist|throat",
            "write|leave @ADV* a|my? @ADV* suicide|goodbye note|letter",
            "use it|them|that|this on @SELF",
            "use the gun|knife|pill|rope|blade on @SELF",
            "goodbye|farewell|suicide note|letter",
            "write @ADV* note|letter *{0,4} goodbye",
            "have|hold|get a|the|my @ADV* gun|pistol|firearm|revolver|handgun",
            "gun|pistol|firearm in my @ADV* hand|lap|mouth",
            "stand on @POSSESSIVE|a? @ADV* @HIGH_PLACE",
            "i be on a @ADV* bridge|ledge|roof|rooftop|cliff",
            "on a|the ledge",
            "give @ADV* my? @ADV* @BELONGINGS *{0,2} away **{0,6} not @ADV* need",
            "give away my @ADV* @BELONGINGS **{0,6} not @ADV* need",
        ),
    ),
    Rule(
        "overdose",
        SUICIDE,
        (
            "overdose",
            "@INTENT @TO? @ADV* od",
            "od on",
            "take|swallow|down|eat|pop *{0,3} @LOTS *{0,3} @PILL",
            "take|swallow|down a|the|an @ADV* bottle of",
            "stockpile|stockpiling|hoard|hoarding|stash @ADV* up? my? @ADV* @PILL",
            "@PILL @ADV* stockpile|hoard|stash",
            "@PILL @ADV* save up",
        ),
    ),
    Rule(
        "someone_else_at_risk",
        SUICIDE,
        (
            "kill|unalive|harm|end @ADV* himself|herself|themselves|themself|hisself",
            "kill|unalive @ADV* him|her|them @ADV* self",
            "@INTENT @TO? @ADV* hurt|cut|burn|injure himself|herself|themselves|themself",
            "=hurting|=cutting|=burning|=harming himself|herself|themselves|themself",
            "take|end his|her|their @ADV* own? life",
        ),
    ),
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
    # ---- safety --------------------------------------------------------------------------
    Rule(
        "not_safe",
        SAFETY,
        (
            "i @ADV* be? @ADV* not @ADV* safe",
            "not @ADV* feel @ADV* safe",
            "not @ADV* trust @SELF",
            "can not @ADV* keep @SELF @ADV* safe",
            "can not @ADV* stay @ADV* safe",
            "not *{0,4} stay|keep @SELF? @ADV* safe",
            "i @ADV* be not @ADV* feel @ADV* safe",
            "i @ADV* feel|be @ADV* unsafe",
            "not @ADV* safe @ADV* at home",
            "not @ADV* safe @ADV* here|around|rn|tonight|now",
            "not @ADV* safe @ADV* right now",
            "i be @ADV* in @ADV* danger",
            "i be @ADV* a danger to @SELF|@VICTIM|other",
            "i be @ADV* in crisis",
            "i be @ADV* have a @ADV* crisis",
            "mental health @ADV* crisis|emergency",
            "scared|afraid|fear|fearing|terrified @ADV* for my @ADV* life|safety",
            "threaten|threatened|threatening @TO? @ADV* kill|hurt|murder|shoot|stab me",
        ),
        negatable=False,
        not_followed_by=frozenset({"drive", "to", "go", "walk", "travel", "of", "leave", "come", "park", "be"}),
    ),
    Rule(
        "crisis_word",
        SAFETY,
        (
            "crisis",
            "crises",
        ),
    ),
    Rule(
        "not_ok_need_help",
        SAFETY,
        (
            "emergency **{0,5} not @ADV* ok|okay|alright",
            "not @ADV* ok|okay|alright **{0,5} help|emergency",
            "help **{0,4} not @ADV* ok|okay|alright",
        ),
        negatable=False,
        not_followed_by=frozenset({"with", "to", "if", "for"}),
    ),
    Rule(
        "not_safe_bare",
        SAFETY,
        (
            "not @ADV* safe",
            "unsafe",
        ),
        negatable=False,
        clause_end=True,
        at_start=True,
    ),
    Rule(
        "abuse",
        SAFETY,
        (
            "he|she|they @ADV* @ABUSE @ADV* me",
            "@POSSESSIVE @PERSON @ADV* @ABUSE @ADV* me",
            "he|she|they|@PERSON @ADV* be? @ADV* go to? @ADV* @ABUSE|hurt|stab|shoot me",
            "he|she|they|@PERSON @ADV* be @ADV* =hurting|=hitting|=beating|=abusing|=choking me",
        ),
        negatable=True,
        not_followed_by=frozenset(
            {"up", "at", "to", "in", "by", "back", "on", "off", "with", "out", "for", "a", "an", "the", "some", "over"}
        ),
    ),
)

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
)


def assess(text: str) -> CrisisAssessment:
    """Whether `text` contains crisis language; `matched` names the rules that fired."""
    if not text or not text.strip():
        return CrisisAssessment(False, (), "")
    doc = _nlp()(_prepare(text))
    fired: list[str] = []
    negated: list[str] = []
    rules = _rules_by_name()
    figures = [(start, end) for _, start, end in _figure_matcher()(doc)]
    for match_id, start, end in _matcher()(doc):
        if any(start < f_end and f_start < end for f_start, f_end in figures):
            continue
        rule = rules[doc.vocab.strings[match_id]]
        verdict = _check(rule, doc, start, end)
        if verdict is True and rule.name not in fired:
            fired.append(rule.name)
        elif verdict == "negated" and rule.name not in negated:
            negated.append(rule.name)
    order = {rule.name: index for index, rule in enumerate(RULES)}
    fired.sort(key=order.__getitem__)
    if fired:
        categories: list[str] = []
        for name in fired:
            category = _CATEGORY_REASON[rules[name].category]
            if category not in categories:
                categories.append(category)
        return CrisisAssessment(True, tuple(fired), "; ".join(categories))
    if negated:
        return CrisisAssessment(False, (), "only negated mentions (e.g. 'not suicidal')")
    return CrisisAssessment(False, (), "")


def _check(rule: Rule, doc: Doc, start: int, end: int) -> bool | str:
    """True if the match counts, "negated" if a negation cancels it, False otherwise."""
    if rule.not_after_number and start > 0 and doc[start - 1].like_num:
        return False
    if rule.at_start and any(not token.is_punct and token.norm_ not in _OPENERS for token in doc[:start]):
        return False
    after = doc[end] if end < len(doc) else None
    if after is not None and (after.norm_ in rule.not_followed_by or after.lower_ in rule.not_followed_by):
        return False
    if (
        rule.clause_end
        and after is not None
        and not (after.is_punct or after.norm_ in CLAUSE_BREAK or after.lower_ in CLAUSE_BREAK or after.like_num)
    ):
        return False
    if rule.negatable and _negated(doc, start):
        return "negated"
    return True


def _negated(doc: Doc, start: int) -> bool:
    """A negation reached by walking back over bridge words only.

    "i'm not going to hurt myself" -> negated; "no i want to die" -> not, because
    "i" is not a bridge word (the "no" answers something else).
    """
    index = start - 1
    steps = 0
    while index >= 0 and steps < BRIDGE_SPAN:
        token = doc[index]
        key = token.norm_
        if key in NEGATIONS:
            # "can't"/"couldn't" + self-harm verb states inability, not denial.
            return not (key == "not" and index > 0 and doc[index - 1].norm_ in _ABILITY)
        if key not in BRIDGE:
            return False
        index -= 1
        steps += 1
    return False


def _prepare(text: str) -> str:
    prepared = text.lower()
    for pattern, replacement in _REWRITES:
        prepared = pattern.sub(replacement, prepared)
    return prepared


@cache
def _rules_by_name() -> dict[str, Rule]:
    return {rule.name: rule for rule in RULES}


@cache
def _nlp() -> Language:
    """The tokenizer + lookup lemmatizer + key component, built once per process."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("crisis_keys"):  # registration is global to the process
        Language.component("crisis_keys", func=_set_keys)
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("crisis_keys")
    nlp.initialize()
    return nlp


@cache
def _lemma_table() -> Table:
    from spacy.pipeline import Lemmatizer

    lemmatizer = _nlp().get_pipe("lemmatizer")  # typed as any pipe component
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
            deleeted = low.translate(_LEET)  # "su1c1de" -> "suicide"
            key = TEXTING.get(deleeted, deleeted)
        if key is None:
            # spaCy's norm fixes contractions ("ca" -> "can", "gon" -> "going").
            key = table.get(token.norm_, token.norm_) if token.norm_ != low else token.lemma_
        token.norm_ = key or low
    return doc


@cache
def _matcher() -> Matcher:
    from spacy.matcher import Matcher

    matcher = Matcher(_nlp().vocab)
    # Not greedy: every overlapping reading is checked, and a rule fires if any passes.
    for rule in RULES:
        matcher.add(rule.name, [_compile(p) for p in rule.patterns])
    return matcher


@cache
def _figure_matcher() -> Matcher:
    from spacy.matcher import Matcher

    matcher = Matcher(_nlp().vocab)
    matcher.add("figure", [_compile(p) for p in FIGURES])
    return matcher


def _compile(pattern: str) -> list[dict[str, Any]]:
    """Turn one line of the pattern language into a spaCy Matcher pattern."""
    compiled: list[dict[str, Any]] = []
    for word in pattern.split():
        op = None
        range_match = re.fullmatch(r"(.*?)(\{\d*,\d*\})", word)
        if range_match:
            word, op = range_match.group(1), range_match.group(2)
        elif len(word) > 1 and word[-1] in "?*+":
            word, op = word[:-1], word[-1]
        spec = _token_spec(word)
        if op:
            spec["OP"] = op
        compiled.append(spec)
    return compiled


def _token_spec(word: str) -> dict[str, Any]:
    if word == "*":
        # Fillers never swallow punctuation or a negation ("take [not] all my pills").
        return {"IS_PUNCT": False, "NORM": {"NOT_IN": sorted(NEGATIONS)}}
    if word == "**":
        return {}  # any token at all, punctuation included: spans two short clauses
    options = word.split("|")
    if all(option.startswith("=") for option in options):
        return {"LOWER": {"IN": [option[1:] for option in options]}}
    if len(options) == 1 and word.startswith("~"):
        return {"NORM": {"FUZZY2": word[1:]}}
    keys: list[str] = []
    for option in options:
        if option.startswith(("=", "~")):
            raise ValueError(f"cannot mix =/~ with plain keys in {word!r}")
        keys.extend(CLASSES[option[1:]] if option.startswith("@") else (option,))
    return {"NORM": keys[0]} if len(keys) == 1 else {"NORM": {"IN": keys}}
