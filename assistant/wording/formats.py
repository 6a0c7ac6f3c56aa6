"""How dates, times and amounts are written for people: one place, built on Babel's locale data.

Explicit CLDR patterns with a fixed locale, so neither the server's locale nor a Babel
upgrade's "standard" formats change what a client reads.  Pure: no store, no framework.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import (
    format_date,
    format_datetime,
    format_time,
    get_day_names,
    get_month_names,
)
from babel.numbers import format_currency

LOCALE = "en_US"
Width = Literal["wide", "abbreviated"]

DAY_AND_TIME = "EEE MMM d, h:mm a"  # "Fri Nov 27, 3:00 PM"
CLOCK = "h:mm a"  # "10:42 AM"
HOUR = "h a"  # "3 PM"
SHORT_DATE = "EEE MMM d"  # "Thu Dec 3"
MONTH_AND_DAY = "MMMM d"  # "December 7"
WEEKDAY = "EEEE"  # "Monday"
CURRENCY = "USD"
MONEY = "¤#,##0.00"  # "$1,234.50", "-$25.00"


def weekday_names(width: Width = "wide") -> tuple[str, ...]:
    """("Monday", ..., "Sunday"), Monday first like `date.weekday()`."""
    names = get_day_names(width, locale=LOCALE)
    return tuple(str(names[index]) for index in range(7))


def month_names(width: Width = "wide") -> tuple[str, ...]:
    """("January", ..., "December"): index = month - 1."""
    names = get_month_names(width, locale=LOCALE)
    return tuple(str(names[number]) for number in range(1, 13))


def day_and_time(moment: dt.datetime, zone: ZoneInfo) -> str:
    """ "Fri Nov 27, 3:00 PM" in `zone`."""
    return str(format_datetime(moment.astimezone(zone), DAY_AND_TIME, tzinfo=zone, locale=LOCALE))


def clock(moment: dt.datetime, zone: ZoneInfo) -> str:
    """ "10:42 AM" in `zone`."""
    return str(format_time(moment.astimezone(zone), CLOCK, tzinfo=zone, locale=LOCALE))


def clock_with_zone(moment: dt.datetime, zone: ZoneInfo) -> str:
    """ "4:30 PM EST": the abbreviation the zone database gives (Babel would say "GMT+1"
    for zones it has no English abbreviation for)."""
    local = moment.astimezone(zone)
    return f"{clock(local, zone)} {local.tzname()}"


def time_of_day(moment: dt.time) -> str:
    """ "noon", "3 PM", "3:30 PM": a wall-clock time with no date."""
    if moment == dt.time(12):
        return "noon"
    return str(format_time(moment, CLOCK if moment.minute else HOUR, locale=LOCALE))


def short_date(day: dt.date) -> str:
    """ "Thu Dec 3"."""
    return str(format_date(day, SHORT_DATE, locale=LOCALE))


def month_and_day(day: dt.date) -> str:
    """ "December 7"."""
    return str(format_date(day, MONTH_AND_DAY, locale=LOCALE))


def weekday(day: dt.date) -> str:
    """ "Monday"."""
    return str(format_date(day, WEEKDAY, locale=LOCALE))


def money(cents: int) -> str:
    """7500 -> "$75.00"; the one way amounts are shown to clients (exact: cents, not floats)."""
    return str(format_currency(Decimal(cents).scaleb(-2), CURRENCY, format=MONEY, locale=LOCALE, currency_digits=False))
