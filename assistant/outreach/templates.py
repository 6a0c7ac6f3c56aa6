"""Outreach texts: the four variables, rendering, segment counts, and what makes a template unsendable.

A practice edits its reminder and follow-up wording in the console; `problems` is the one
judge of whether a template may be saved (and O1's sender renders only with `render`).  The
rules it enforces come from the healthcare texting exemption the practice relies on: the
practice's name and an opt-out line in every text, short (3 segments at most even with long
names), no clinician name unless the practice allows clinical details, no billing,
collections or marketing content, and no links.  Pure: no store, no framework.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence

from assistant.wording import sms_segments

VARIABLES = frozenset({"client_first_name", "practice_name", "session_time", "modality"})
MAX_SEGMENTS = 3
OPT_OUT_LINE = "Reply STOP to opt out"

# Ordinary values, for a preview when no client is picked.
SAMPLE_VALUES: Mapping[str, str] = {
    "client_first_name": "Jordan",
    "practice_name": "Lakeside Counseling",
    "session_time": "Thu Dec 3, 3:00 PM ET",
    "modality": "video",
}
# The longest values a real text plausibly carries: a template must stay within
# MAX_SEGMENTS with these, so no client's text is cut or costs more than planned.
LONG_SAMPLE_VALUES: Mapping[str, str] = {
    "client_first_name": "Maximiliana-Josephine",
    "practice_name": "Lakeside Counseling and Family Wellness Center",
    "session_time": "Wed Sep 30, 12:30 PM AKT",  # the longest US zone label (formats.zone_label)
    "modality": "in person",
}

# Words that turn a care text into a bill, a collection notice or an advert (whole words).
_FORBIDDEN_WORDS = (
    "bill",
    "bills",
    "billing",
    "invoice",
    "balance",
    "payment",
    "payments",
    "pay",
    "owe",
    "owed",
    "overdue",
    "past due",
    "collection",
    "collections",
    "debt",
    "copay",
    "co-pay",
    "deductible",
    "discount",
    "sale",
    "promo",
    "promotion",
    "coupon",
    "newsletter",
    "subscribe",
    "refer a friend",
    "special offer",
    "limited time",
)
_FORBIDDEN = re.compile(r"\b(" + "|".join(re.escape(word) for word in _FORBIDDEN_WORDS) + r")\b", re.IGNORECASE)
# Words that say what the care is about: only when the practice allows clinical details.
_CLINICAL_WORDS = (
    "therapy",
    "therapist",
    "psychotherapy",
    "psychiatrist",
    "psychiatric",
    "psychologist",
    "counseling",
    "counselling",
    "counselor",
    "diagnosis",
    "treatment",
    "medication",
    "prescription",
    "mental health",
    "depression",
    "anxiety",
    "trauma",
)
_CLINICAL = re.compile(r"\b(" + "|".join(re.escape(word) for word in _CLINICAL_WORDS) + r")\b", re.IGNORECASE)
_LINK = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(com|org|net|us|io|health|care)\b", re.IGNORECASE)
# Titles and credentials around a clinician's name: "Dr. Maya Patel, LCSW".
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "phd", "psyd", "md", "lcsw", "lmft", "lpc", "lmhc"})


class TemplateError(ValueError):
    """A template that cannot be rendered: a malformed or unknown placeholder, or a missing value."""


def _fields(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(template))
    except ValueError as error:  # "Single '}' encountered", "unexpected '{' in field name"
        raise TemplateError(f"a {{ or }} that is not part of a variable ({error})") from None


def _placeholder_problem(name: str, conversion: str | None, spec: str | None) -> str | None:
    if name not in VARIABLES:
        return f"{{{name}}} is not a variable you can use; use {_variable_list()}."
    if conversion or spec:
        return f"write the variable as {{{name}}}, without anything after its name."
    return None


def _variable_list() -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(VARIABLES))


def variables_in(template: str) -> frozenset[str]:
    """The variable names a template uses (malformed templates raise TemplateError)."""
    return frozenset(name for _, name, _, _ in _fields(template) if name is not None)


def render(template: str, **values: str) -> str:
    """The template with each {variable} replaced.  Only plain names are filled (never
    attribute or index lookups such as {practice_name.__class__}): a practice's text is data."""
    pieces: list[str] = []
    for literal, name, spec, conversion in _fields(template):
        pieces.append(literal)
        if name is None:
            continue
        problem = _placeholder_problem(name, conversion, spec)
        if problem:
            raise TemplateError(problem)
        if name not in values:
            raise TemplateError(f"no value for {{{name}}}")
        pieces.append(values[name])
    return "".join(pieces)


def segments(text: str) -> int:
    """How many SMS segments `text` costs (GSM-7 160/153, UCS-2 70/67)."""
    return sms_segments.segment_count(text)


def _clinician_name_forms(names: Iterable[str]) -> list[re.Pattern[str]]:
    """Patterns for each clinician's name as a text might carry it: the full display name,
    the name without title, and the surname (case-sensitive, so "Hope" the name and "hope"
    the word are told apart)."""
    patterns: list[re.Pattern[str]] = []
    for display_name in names:
        words = [word for word in re.split(r"[\s,]+", display_name.strip()) if word]
        bare = [word for word in words if word.rstrip(".").lower() not in _TITLES]
        if not bare:
            continue
        patterns.append(re.compile(r"\b" + r"\s+".join(re.escape(word) for word in bare) + r"\b", re.IGNORECASE))
        if len(bare[-1]) >= 3:
            patterns.append(re.compile(r"\b" + re.escape(bare[-1]) + r"\b"))
    return patterns


def problems(template: str, *, clinician_names: Sequence[str], clinical_allowed: bool) -> list[str]:
    """Why `template` may not be sent, in words for the admin who wrote it; [] when it is fine."""
    if not template.strip():
        return ["The text is empty."]
    try:
        fields = _fields(template)
    except TemplateError as error:
        return [f"The text has {error}. Variables look like {{practice_name}}."]
    found: list[str] = []
    names: set[str] = set()
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        problem = _placeholder_problem(name, conversion, spec)
        if problem and problem not in found:
            found.append(problem[0].upper() + problem[1:])
        names.add(name)
    if "practice_name" not in names:
        found.append("Include {practice_name}, so every text says who it is from.")
    if OPT_OUT_LINE.lower() not in " ".join(template.split()).lower():
        found.append(f'End with "{OPT_OUT_LINE}." so the client can always stop these texts.')
    if not any(problem.startswith(("{", "Write")) for problem in found):
        values = {name: LONG_SAMPLE_VALUES[name] for name in VARIABLES}
        count = segments(render(template, **values))
        if count > MAX_SEGMENTS:
            hint = (
                ""
                if sms_segments.is_gsm7(template)
                else " (curly quotes, dashes or emoji make each segment 70 characters)"
            )
            found.append(
                f"With long names this text takes {count} SMS segments; keep it to {MAX_SEGMENTS} or fewer{hint}."
            )
    if not clinical_allowed:
        if any(pattern.search(template) for pattern in _clinician_name_forms(clinician_names)):
            found.append("Remove the clinician's name: this practice does not allow clinical details in texts.")
        clinical = _CLINICAL.search(template)
        if clinical:
            found.append(f'Remove "{clinical.group(0)}": this practice does not allow clinical details in texts.')
    forbidden = _FORBIDDEN.search(template)
    if forbidden:
        found.append(f'Remove "{forbidden.group(0)}": outreach texts may not mention billing, payments or offers.')
    if _LINK.search(template):
        found.append("Remove the link: outreach texts carry no links (a video link is sent only on request).")
    return found


def clinical_details(text: str, *, clinician_names: Sequence[str]) -> list[str]:
    """What in `text` a text or a call may not carry when the practice keeps clinical details
    out of them: a clinician's name, a word saying what the care is about.  The same rule as
    `problems`, for other texts the practice writes (its answers to practice questions)."""
    found = [
        f"the clinician's name ({match.group(0)})"
        for pattern in _clinician_name_forms(clinician_names)
        if (match := pattern.search(text))
    ]
    found.extend(f'"{match.group(0)}"' for match in _CLINICAL.finditer(text))
    return list(dict.fromkeys(found))


VIDEO_LINK_HINT_KEY = "outreach.template.video_link_hint"


def with_video_link_hint(text: str, hint: str, *, max_segments: int | None = None) -> str:
    """`text` with the "Reply LINK for your video link." line put before the opt-out line,
    when the result stays within `max_segments` (default: no extra segment over `text`'s own).
    The link itself is never in a reminder: it goes only to the verified client who asks."""
    limit = segments(text) if max_segments is None else max_segments
    marker = text.lower().rfind(OPT_OUT_LINE.lower())
    longer = f"{text[:marker]}{hint} {text[marker:]}" if marker >= 0 else f"{text} {hint}"
    return longer if segments(longer) <= limit else text
