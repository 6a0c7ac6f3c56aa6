"""The wording catalog: every entry renders with sample values, stays within a few SMS
segments in plain GSM-7, and every language has the same keys and placeholders."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from assistant.config import PROJECT_ROOT
from assistant.wording import catalog
from assistant.wording.sms_segments import is_gsm7, segment_count

SAMPLES = {
    "promise": "a person will reply right here within about an hour",
    "first_name": "Jordan",
    "practice": "Lakeside Counseling",
    "phone": "+15555550100",
    "code": "123456",
    "session": "Thu Dec 3, 3:00 PM ET by video with Dr. Maya Patel",
    "place": " at Suite 210",
    "when": "Thu Dec 3, 3:00 PM ET",
    "url": "https://zoom.us/j/12345678901",
    "wanted": " for Friday afternoons",
    "count": 3,
    "old_time": "Thu Dec 3, 3:00 PM ET",
    "new_time": "Fri Dec 4, 10:00 AM ET",
    "how": "by video",
    "window_hours": 24,
    "fee": "$75.00",
    "details": "Your next session is Thu Dec 3, 3:00 PM ET in person.",
    "clinician": "Dr. Maya Patel",
    "minutes": 30,
    "link": "https://frontdesk.example/portal/sign-in/" + "x" * 43,
    "on_file": "The card on file ends in 4242. ",
    "last4": "4242",
    "options": "1 for Jordan or 2 for Sam",
    "with_clinician": " with Dr. Maya Patel",
    "window": "an hour",
    "notice": "24 hours' notice",
    "brand": "Visa",
    "clock": "10:00 AM ET",
    "date": "Mon Nov 30",
    "time": "10 AM",
    "weekday": "Monday",
    "hours": "2 hours",
    # The phone's entries (wording/en_voice.py).
    "choice": "Jordan",
    "digit": 1,
    "text": "Here's the video link for your session on Thu Dec 3, 3:00 PM ET: https://zoom.us/j/12345678901",
    "number": 2,
    # A client's wish for a time (scheduling/preferences/describe.py).
    "days": "Friday",
    "first": "Monday",
    "second": "Friday",
    "items": "Monday, Tuesday",
    "last": "Friday",
    "word": "evening",
    "start": "2 PM",
    "end": "4 PM",
    # Practice questions (wording/en_faq.py, wording/faq_hours.py).
    "answer": "Free parking is in the lot behind Building B; spaces marked Visitor are for our clients.",
    "week": "Monday to Friday 9 AM to 5 PM, Saturday 9 AM to noon, closed Sunday",
    "zone": "ET",  # faq.hours writes the label; spoken.* get it in words (test_voice_render)
    "now": "We're open now, until 5:00 PM ET today.",
    "day": "Saturday",
    "ranges": "9 AM to noon and 1 PM to 5 PM",
    "closes": "5:00 PM ET today",
    "opens": "Mon Nov 30, 9:00 AM ET",
    # Outreach templates (assistant/outreach/templates.py VARIABLES).
    "client_first_name": "Jordan",
    "practice_name": "Lakeside Counseling",
    "session_time": "Thu Dec 3, 3:00 PM ET",
    "modality": "video",
}
# A reply may be split into several texts (wording/sms_segments.py); none of ours needs more.
MAX_SEGMENTS = 4
# Entries shown on web pages (assistant/api/templates/) or only in the web chat widget, never texted.
NOT_SMS = ("page.", "widget.")
KEYS = sorted(catalog.CATALOGS[catalog.DEFAULT_LANGUAGE])


@pytest.mark.parametrize("key", KEYS)
def test_every_entry_renders_in_plain_sms_text(key: str) -> None:
    wanted = catalog.placeholders(key)
    assert wanted <= SAMPLES.keys(), f"add a sample for {sorted(wanted - SAMPLES.keys())}"
    rendered = catalog.text(key, **{name: SAMPLES[name] for name in wanted})
    assert "{" not in rendered and "}" not in rendered
    if key.startswith(NOT_SMS):
        return
    assert is_gsm7(rendered), "curly quotes or emoji make a text UCS-2 (70 characters a segment)"
    assert segment_count(rendered) <= MAX_SEGMENTS


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    reference = catalog.CATALOGS[catalog.DEFAULT_LANGUAGE]
    for language, entries in catalog.CATALOGS.items():
        assert entries.keys() == reference.keys(), language
        for key in entries:
            assert catalog.placeholders(key, language) == catalog.placeholders(key), (language, key)


def test_a_missing_value_or_key_is_an_error_not_a_half_sentence() -> None:
    with pytest.raises(catalog.WordingError, match="first_name"):
        catalog.text("identity.verified")
    with pytest.raises(catalog.WordingError, match="no wording"):
        catalog.text("no.such.key")


def test_hand_offs_that_promise_a_person_carry_the_promise_placeholder() -> None:
    for key in KEYS:
        if key.startswith("handoff."):
            assert "promise" in catalog.placeholders(key), key
            assert "a person will reply" not in catalog.template(key), key


def _string_literals_said(path: Path) -> list[str]:
    """String literals passed straight to turn.say(...) / dispatcher.utter_message(text=...)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("say", "utter_message")
        ):
            values = [*node.args, *(keyword.value for keyword in node.keywords if keyword.arg == "text")]
            found += [ast.unparse(value) for value in values if isinstance(value, (ast.Constant, ast.JoinedStr))]
    return found


def test_actions_say_nothing_that_is_not_in_the_catalog() -> None:
    for path in sorted((PROJECT_ROOT / "actions").glob("*.py")):
        assert _string_literals_said(path) == [], path.name


def test_the_domain_responses_are_the_catalogs() -> None:
    """Rasa's own responses (greeting, goodbye, out of scope) live in domain.yml, which Rasa
    reads; they must read exactly as the catalog's `domain.<response>` entries."""
    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]
    for name, variants in responses.items():
        for variant in variants:
            assert variant["text"] == catalog.text(f"domain.{name}"), name
            for button in variant.get("buttons", []):
                assert button["title"] in catalog.CATALOGS["en"].values(), (name, button["title"])


def test_no_key_is_in_two_parts_of_the_english_catalog() -> None:
    # The parts are merged into one mapping, where a second entry would silently win.
    keys = [key for part in catalog.ENGLISH_PARTS for key in part.MESSAGES]
    assert sorted(key for key in set(keys) if keys.count(key) > 1) == []
    assert len(keys) == len(catalog.CATALOGS["en"])


def test_every_english_part_is_in_the_catalog() -> None:
    # A new wording/en_*.py left out of ENGLISH_PARTS would make its keys "missing" at run time.
    modules = {path.stem for path in (PROJECT_ROOT / "assistant" / "wording").glob("en*.py")}
    assert modules == {part.__name__.rsplit(".", 1)[-1] for part in catalog.ENGLISH_PARTS}
