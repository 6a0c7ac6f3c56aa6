"""A practice's answer kept to one text (at most 3 segments) for SMS and calls."""

from __future__ import annotations

from assistant.services.practice_faq.phone_fit import fit_for_phone
from assistant.wording.sms_segments import MAX_SEGMENTS_PER_MESSAGE, segment_count

MORE = "(More in our web chat or from our team.)"
LINK = "The forms: https://portal.lakeside.example/forms"


def test_a_short_answer_and_its_link_go_out_whole() -> None:
    assert fit_for_phone("Forms are in the portal.", LINK) == f"Forms are in the portal.\n{LINK}"
    assert fit_for_phone("Forms are in the portal.", None) == "Forms are in the portal."


def test_a_long_answer_keeps_whole_sentences_and_the_link() -> None:
    body = " ".join(f"This is sentence {n} about the intake forms and what they ask." for n in range(15))
    fitted = fit_for_phone(body, LINK)
    assert segment_count(fitted) <= MAX_SEGMENTS_PER_MESSAGE
    assert fitted.endswith(f"{MORE}\n{LINK}")
    kept = fitted.split(f" {MORE}")[0]
    assert kept.endswith("what they ask.") and body.startswith(kept)


def test_one_sentence_too_long_for_a_text_is_cut_at_a_word() -> None:
    body = "Bring " + " and ".join(f"item{n}" for n in range(200)) + "."
    fitted = fit_for_phone(body, None)
    assert segment_count(fitted) <= MAX_SEGMENTS_PER_MESSAGE
    assert fitted.endswith(f"... {MORE}") and fitted.startswith("Bring item0 and item1")


def test_non_gsm_characters_are_counted_as_a_phone_counts_them() -> None:
    body = "Parking is free \U0001f697. " * 30  # an emoji makes every segment 67 characters
    fitted = fit_for_phone(body.strip(), None)
    assert segment_count(fitted) <= MAX_SEGMENTS_PER_MESSAGE < segment_count(body)
