"""Reading what a client types into the card form: number and expiry, strictly.

Only ASCII digits count: a fullwidth "４２４２" (or any other script's digits) passes
`str.isdigit()` and `int()`, but is not what a card processor accepts, so it is refused
rather than silently converted.  Spaces and dashes between digit groups are allowed.
The number itself is only read here to derive brand and last four; it is never kept.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.screen.redaction import luhn_valid
from assistant.wording.catalog import text

MAX_YEARS_AHEAD = 20  # cards are issued for a few years; 01/9999 is a typo or a probe
_SEPARATORS = re.compile(r"[ -]")
_CARD_DIGITS = re.compile(r"[0-9]{13,19}")
_EXPIRY = re.compile(r"[ \t]*([0-9]{1,2})[ \t]*/[ \t]*([0-9]{2}|[0-9]{4})[ \t]*")


@dataclass(frozen=True)
class CardDetails:
    brand: str
    last4: str
    exp_month: int
    exp_year: int


class CardRejected(ValueError):
    """What the client typed cannot be a card; `message` says what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "Visa"
    if re.match(r"5[1-5]|2[2-7]", number):
        return "Mastercard"
    if re.match(r"3[47]", number):
        return "American Express"
    if re.match(r"6(011|5)", number):
        return "Discover"
    return "Card"


def card_digits(number: str) -> str | None:
    """The card number's ASCII digits (13 to 19, Luhn-valid), or None."""
    digits = _SEPARATORS.sub("", number)
    if not _CARD_DIGITS.fullmatch(digits) or not luhn_valid(digits):
        return None
    return digits


def parse_expiry(expiry: str, today: dt.date) -> tuple[int, int] | None:
    """(month, year) from MM/YY or MM/YYYY: this month or later, at most 20 years ahead."""
    match = _EXPIRY.fullmatch(expiry)
    if not match:
        return None
    month, year = int(match.group(1)), int(match.group(2))
    year = year + 2000 if len(match.group(2)) == 2 else year
    if not 1 <= month <= 12:
        return None
    if not (today.year, today.month) <= (year, month) <= (today.year + MAX_YEARS_AHEAD, today.month):
        return None
    return month, year


def read_card(number: str, expiry: str, today: dt.date) -> CardDetails:
    digits = card_digits(number)
    if digits is None:
        raise CardRejected(text("page.card.bad_number"))
    parsed = parse_expiry(expiry, today)
    if parsed is None:
        raise CardRejected(text("page.card.bad_expiry"))
    return CardDetails(brand=card_brand(digits), last4=digits[-4:], exp_month=parsed[0], exp_year=parsed[1])
