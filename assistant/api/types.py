"""Bounded, ASCII-only types for what the routes read from paths, queries, headers and bodies.

Two classes of input used to reach code that could not cope with them and answer 500:

- integers the database cannot hold: an `after=9223372036854775808` went through
  validation and raised `OverflowError` in the query (SQLite's integers are 64-bit), and
  on PostgreSQL, whose INTEGER id columns are 32-bit, anything from 2**31 on failed;
- non-ASCII digits: `"¹²".isdigit()` is True but `int("¹²")` raises, so hand-written
  `isdigit()` checks let them through to a crash.

Every id, cursor and digit string a route accepts is one of the types below (pydantic
checks them, so a bad value is a 422 naming the parameter), or goes through
`ascii_int` where the value is not a pydantic field (a stream token's parts, a header).
Text that is stored goes through `CleanText` (control characters removed).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Annotated, Literal
from zoneinfo import available_timezones

import phonenumbers
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from assistant.scheduling import hours
from assistant.screen.control_chars import strip_control_chars

INT64_MAX = 2**63 - 1
# Our ids are INTEGER columns: 64-bit in SQLite, 32-bit in PostgreSQL.  The smaller bound
# holds for both (and is far above any id a practice will reach).
MAX_DB_ID = 2**31 - 1

# A row id in a path or query: 1 .. 2**31-1.
DbId = Annotated[int, Field(ge=1, le=MAX_DB_ID)]
# "Messages after this id": 0 (from the start) .. 2**31-1.
MessageCursor = Annotated[int, Field(ge=0, le=MAX_DB_ID)]
# Digits as text, ASCII only ([0-9], not \d: that is Unicode-aware), short enough to be an int64.
AsciiDigits = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,19}$")]
# An id we generated ourselves (a UUID for conversations): printable ASCII, no separators.
PublicId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def ascii_int(text: str | None, *, minimum: int = 0, maximum: int = INT64_MAX) -> int | None:
    """`text` as an int when it is 1-19 ASCII digits within [minimum, maximum], else None."""
    if text is None or not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def _clock(value: str) -> str:
    hours.clock_minutes(value, allow_24=True)  # raises HoursError (a ValueError): a clear 422
    return value


# A business-hours time: exactly HH:MM, ASCII digits, 00:00-23:59 or 24:00 (as an end).
ClockTime = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}:[0-9]{2}$"), AfterValidator(_clock)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# One day's open ranges, [start, end] each; a dozen is more than any front desk has.
DayHours = Annotated[list[tuple[ClockTime, ClockTime]], Field(max_length=12)]


@lru_cache(maxsize=1)
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def _known_zone(value: str) -> str:
    # Membership, not ZoneInfo(name) alone: that also opens files such as "zone.tab" or a
    # directory name, and raises errors other than "not found" for them.
    if value not in _known_timezones():
        raise PydanticCustomError("unknown_timezone", "unknown timezone; use an IANA name such as America/New_York")
    return value


# An IANA timezone the system knows ("America/New_York", "Etc/GMT+5"): the shape first (ASCII,
# no dots, so no path tricks), then membership in zoneinfo's list.
IanaTimezone = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$", max_length=64), AfterValidator(_known_zone)
]

# E.164 as sent: "+", a country code, up to 15 ASCII digits in all, nothing else ([0-9], not
# \d; \Z, not $, which allows a trailing newline).  phonenumbers would quietly accept spaces,
# dashes and other scripts' digits; we want the exact form we store and dial.
_E164_SHAPE = re.compile(r"\+[1-9][0-9]{6,14}\Z")
E164_MESSAGE = "must be a phone number in international format, e.g. +15555550199"


def _e164(value: str) -> str:
    if not _E164_SHAPE.match(value):
        raise PydanticCustomError("phone_e164", E164_MESSAGE)
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as error:
        raise PydanticCustomError("phone_e164", E164_MESSAGE) from error
    # "Possible" (a known country code and a length its plan allows), not "valid": validity
    # follows carriers' allocations, and the fictional 555-01xx numbers the demo and tests
    # use are possible but never valid.
    if not phonenumbers.is_possible_number(number):
        raise PydanticCustomError("phone_e164", E164_MESSAGE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


PhoneE164 = Annotated[str, Field(max_length=16, examples=["+15555550199"]), AfterValidator(_e164)]


def e164_or_none(value: str) -> str | None:
    """`value` if it is a possible E.164 number exactly as written (webhook fields), else None."""
    try:
        return _e164(value)
    except PydanticCustomError:
        return None


def _empty_is_none(value: object) -> object:
    return None if value == "" else value


# A phone number that may be cleared: null or "" (an emptied form field) both mean "none"
# (only exactly "": blanks are a mistyped number, refused like any other).
OptionalPhoneE164 = Annotated[PhoneE164 | None, BeforeValidator(_empty_is_none)]


def _clean(value: str) -> str:
    return strip_control_chars(value).strip()


# Text we store: control characters (NUL and the like, but not \n or \t) removed, then
# trimmed.  On a model field (`text: CleanText = Field(max_length=...)`) the length limit
# counts what was sent, and `min_length` does not see the trimming: check emptiness after.
CleanText = Annotated[str, AfterValidator(_clean)]


def clean_or_none(value: str) -> str | None:
    """Optional text we store (a comment, a greeting): cleaned as CleanText, and nothing left is
    None.  Used after the length limit, so the limit counts what was sent:
    `Annotated[str, StringConstraints(max_length=N), AfterValidator(clean_or_none)]`."""
    return _clean(value) or None


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_text(value: object) -> object:
    # pydantic would also read 0 as 1970-01-01 (a Unix time) and other digit strings as dates:
    # a day in a URL is written one way only.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise PydanticCustomError("iso_date", "a date as YYYY-MM-DD")
    if not isinstance(value, str | dt.date):
        raise PydanticCustomError("iso_date", "a date as YYYY-MM-DD")
    return value


# Routes count days back and forward from a given day (a period of 90 days, the day after the
# last): near year 1 or 9999 that arithmetic overflows, and no front desk has data there.
EARLIEST_DAY, LATEST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _within_reason(day: dt.date) -> dt.date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise PydanticCustomError("iso_date", "a date between 1900-01-01 and 2999-12-31")
    return day


# A calendar day in a query string, exactly YYYY-MM-DD, within years 1900-2999.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text), AfterValidator(_within_reason)]
