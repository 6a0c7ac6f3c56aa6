"""SMS text handling: segments, splitting, keywords, rendering buttons for a phone."""

from __future__ import annotations

import pytest

from assistant.channels.sms.keywords import Keyword, classify
from assistant.wording.sms_render import render_for_sms
from assistant.wording.sms_segments import is_gsm7, segment_count, split_message


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extended GSM-7 characters cost two septets
        ("€" * 81, 2),
        ("🙂" + "a" * 68, 1),  # an emoji forces UCS-2 and counts as two UTF-16 units
        ("🙂" + "a" * 69, 2),
        ("é" * 160, 1),  # é is in the GSM-7 basic set
        ("ć" * 70, 1),  # ć is not: UCS-2
        ("ć" * 71, 2),
        ("ć" * 134, 2),
        ("ć" * 135, 3),
    ],
)
def test_segment_count(text: str, segments: int) -> None:
    assert segment_count(text) == segments


def test_curly_quote_forces_ucs2() -> None:
    assert is_gsm7("it's fine") and not is_gsm7("it’s fine")


def test_short_message_is_not_split() -> None:
    assert split_message("Your session is at 3 PM.") == ["Your session is at 3 PM."]


def test_split_at_sentence_boundaries_within_the_segment_budget() -> None:
    text = " ".join(f"This is sentence {n} of a long reply about your visit." for n in range(30))
    parts = split_message(text, max_segments=2)
    assert len(parts) > 2
    assert all(segment_count(part) <= 2 and part.endswith(".") for part in parts)
    assert " ".join(parts) == text


def test_numbered_options_stay_on_their_own_lines() -> None:
    text = (
        "Here are the next open times:\n1. Mon Nov 30, 9:00 AM ET\n2. Tue Dec 1, 2:00 PM ET\n3. Wed Dec 2, 11:00 AM ET"
    )
    assert split_message(text) == [text]


def test_a_single_overlong_word_is_still_split() -> None:
    url = "https://example.org/" + "x" * 600
    parts = split_message(url, max_segments=1)
    assert "".join(parts) == url and all(segment_count(part) == 1 for part in parts)


def test_emoji_reply_is_split_by_ucs2_budget() -> None:
    text = ("Thanks 🙏 we got it. " * 20).strip()
    parts = split_message(text, max_segments=1)
    assert all(segment_count(part) == 1 for part in parts) and len(parts) > 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STOP", (Keyword.OPT_OUT, "STOP")),
        ("stop ", (Keyword.OPT_OUT, "STOP")),
        ("Stop.", (Keyword.OPT_OUT, "STOP")),
        ("STOPALL", (Keyword.OPT_OUT, "STOPALL")),
        ("unsubscribe", (Keyword.OPT_OUT, "UNSUBSCRIBE")),
        ("END", (Keyword.OPT_OUT, "END")),
        ("quit", (Keyword.OPT_OUT, "QUIT")),
        ("START", (Keyword.OPT_IN, "START")),
        ("unstop", (Keyword.OPT_IN, "UNSTOP")),
        ("Yes", (Keyword.OPT_IN, "YES")),
        ("HELP", (Keyword.HELP, "HELP")),
        ("info", (Keyword.HELP, "INFO")),
        ("CANCEL", None),
        ("cancel", None),
        ("stop texting me pls", None),
        ("yes please", None),
        ("please help", None),
        ("", None),
        ("end my session", None),
    ],
)
def test_keyword_classification(body: str, expected) -> None:  # noqa: ANN001
    assert classify(body) == expected


def test_yes_no_buttons_become_an_instruction() -> None:
    buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    assert render_for_sms("Move your session?", buttons) == "Move your session? (Reply YES or NO)"


def test_numbered_slot_buttons_are_already_in_the_text() -> None:
    text = "Open times:\n1. Mon Nov 30, 9:00 AM ET\n2. Tue Dec 1, 2:00 PM ET"
    assert render_for_sms(text, [{"title": "Mon Nov 30, 9:00 AM ET", "payload": "/choose_option"}]) == text


def test_menu_buttons_become_words_to_reply_with() -> None:
    rendered = render_for_sms(
        "What can I do?",
        [
            {"title": "Reschedule", "payload": "/reschedule_appointment"},
            {"title": "Talk to a person", "payload": "/request_human"},
        ],
    )
    assert rendered == 'What can I do?\nReply with: "Reschedule", "Talk to a person"'
