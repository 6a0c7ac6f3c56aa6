"""Card numbers and SSNs never get past the gateway; other numbers are left alone."""

from __future__ import annotations

import pytest

from assistant.screen.crisis import assess
from assistant.screen.redaction import (
    CARD_PLACEHOLDER,
    SSN_PLACEHOLDER,
    Redaction,
    luhn_valid,
    redact,
)


@pytest.mark.parametrize(
    "card",
    [
        "4242 4242 4242 4242",
        "4242424242424242",
        "4111-1111-1111-1111",
        "4111 - 1111 - 1111 - 1111",
        "371449635398431",  # Amex, 15 digits
        "3714 496353 98431",  # Amex grouping
        "5555 5555 5555 4444",  # Mastercard
        "6011111111111117",  # Discover
        "4222222222222",  # 13-digit Visa
        "6200000000000005",  # UnionPay
        "3530111333300000",  # JCB
    ],
)
def test_cards_are_removed(card: str) -> None:
    result = redact(f"can you charge {card} for the copay?")
    assert result == Redaction(f"can you charge {CARD_PLACEHOLDER} for the copay?", ("card_number",))


@pytest.mark.parametrize(
    "text",
    [
        "call me at 555-123-4567",
        "my number is (555) 123 4567",
        "+1 555 123 4567",
        "order 123456789012 shipped",
        "see you 2026-11-25 at 3",
        "born 04/12/1990",
        "4242 4242 4242 4241",  # 16 digits, fails Luhn
        "1234567812345678",  # 16 digits, fails Luhn
        "0000 0000 0000 0000",  # passes Luhn, but no card is all zeros
        "my member id is 1234 5678 9012",  # 12 digits: too short for a card
        "12345678901234567890123",  # too long for a card, fails every window
        "room 4242",
    ],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == Redaction(text, ())


def test_card_next_to_a_phone_number() -> None:
    result = redact("call 555 123 4567 or charge 4242 4242 4242 4242")
    assert result.text == f"call 555 123 4567 or charge {CARD_PLACEHOLDER}"
    assert result.kinds == ("card_number",)


def test_several_cards_and_punctuation() -> None:
    result = redact("cards: 4242424242424242, 5555-5555-5555-4444.")
    assert result.text == f"cards: {CARD_PLACEHOLDER}, {CARD_PLACEHOLDER}."
    assert result.kinds == ("card_number",)


def test_digits_glued_to_letters_are_not_cards() -> None:
    text = "ref AB4242424242424242"
    assert redact(text).text == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my ssn is 123-45-6789", f"my ssn is {SSN_PLACEHOLDER}"),
        ("ssn 123 45 6789 thanks", f"ssn {SSN_PLACEHOLDER} thanks"),
        ("123-45-6789", SSN_PLACEHOLDER),
        ("my social security number is 123456789", f"my social security number is {SSN_PLACEHOLDER}"),
        ("SSN: 234567890", f"SSN: {SSN_PLACEHOLDER}"),
        ("SSN#123456789.", f"SSN#{SSN_PLACEHOLDER}."),
        ("social is 123456789", f"social is {SSN_PLACEHOLDER}"),
    ],
)
def test_ssns_are_removed(text: str, expected: str) -> None:
    assert redact(text) == Redaction(expected, ("ssn",))


@pytest.mark.parametrize(
    "text",
    [
        "000-12-3456",  # area 000
        "666-12-3456",  # area 666
        "912-34-5678",  # area 9xx
        "123-00-4567",  # group 00
        "123-45-0000",  # serial 0000
        "123-45 6789",  # mixed separators: not an SSN shape
        "my order is 123456789",  # nine digits without ssn words
        "ssn 000000000",
        "call 1-123-45-6789",
        "123-45-67890",
    ],
)
def test_not_ssns(text: str) -> None:
    assert redact(text) == Redaction(text, ())


def test_both_kinds_are_reported_once() -> None:
    result = redact("ssn 123-45-6789 and card 4111 1111 1111 1111")
    assert result.text == f"ssn {SSN_PLACEHOLDER} and card {CARD_PLACEHOLDER}"
    assert result.kinds == ("card_number", "ssn")


def test_nothing_to_redact() -> None:
    assert redact("") == Redaction("", ())
    assert redact("reschedule me to friday after 5") == Redaction("reschedule me to friday after 5", ())


def test_luhn() -> None:
    assert luhn_valid("4242424242424242")
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")


def test_crisis_is_still_found_in_the_redacted_text() -> None:
    # The gateway stores the redacted text and screens that for crisis language.
    result = redact("charge 4242 4242 4242 4242 please, i want to kill myself")
    assert result == Redaction(f"charge {CARD_PLACEHOLDER} please, i want to kill myself", ("card_number",))
    assert assess(result.text).is_crisis


def test_everyday_message_with_an_ssn() -> None:
    result = redact("can we do friday after 5? my ssn is 123-45-6789")
    assert result.text == f"can we do friday after 5? my ssn is {SSN_PLACEHOLDER}"
    assert result.kinds == ("ssn",)
    assert not assess(result.text).is_crisis
