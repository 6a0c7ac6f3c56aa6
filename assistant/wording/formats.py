"""How dates, times and amounts are written for people: one place, built on Babel's locale data.

Explicit CLDR patterns with a fixed locale, so neither the server's locale nor a Babel
upgrade's "standard" formats change what a client reads.  Pure: no store, no framework.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import (
    format_date,
    format_datetime,
    format_time,
    get_day_names,
    get_month_names,
    get_timezone_name,
)
from babel.numbers import format_currency

LOCALE = "en_US"
Width = Literal["wide", "abbreviated"]

DAY_AND_TIME = "EEE MMM d, h:mm a"  # "Fri Nov 27, 3:00 PM"
ZONE_LABEL = re.compile(r"[A-Z]{2,5}")  # "ET", "AKT", "HST": a label, not Babel's "United Kingdom Time" fallback
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
    """ "Fri Nov 27, 3:00 PM" in `zone`, unlabelled: for reps and operators, who work in the
    practice's zone (a client reads `day_time_and_zone`)."""
    return str(format_datetime(moment.astimezone(zone), DAY_AND_TIME, tzinfo=zone, locale=LOCALE))


def day_time_and_zone(moment: dt.datetime, zone: ZoneInfo) -> str:
    """ "Tue Dec 1, 10:00 AM ET": a date and time as a client reads it, saying its zone."""
    return f"{day_and_time(moment, zone)} {zone_label(zone, moment)}"


def clock(moment: dt.datetime, zone: ZoneInfo) -> str:
    """ "10:42 AM" in `zone`."""
    return str(format_time(moment.astimezone(zone), CLOCK, tzinfo=zone, locale=LOCALE))


def clock_with_zone(moment: dt.datetime, zone: ZoneInfo) -> str:
    """ "4:30 PM ET"."""
    return f"{clock(moment, zone)} {zone_label(zone, moment)}"


def zone_label(zone: ZoneInfo, moment: dt.datetime) -> str:
    """The zone as a time is labelled for people: "ET", "CT", "MT", "PT", "AKT" (CLDR's short
    generic names, which do not flip between EST and EDT with the season, and are what
    clients say).  `moment` matters only for zones CLDR has no short generic name for
    (Babel then falls back to a place, "United States (Honolulu) Time", too long to follow
    every time): the zone database's abbreviation for that moment, which is what people
    there read ("HST", "GMT"/"BST", "CET"), or, where the database has only a number
    ("+04" for Asia/Dubai), the offset from UTC ("UTC+4", "UTC+5:30")."""
    generic = str(get_timezone_name(zone, width="short", locale=LOCALE))
    if ZONE_LABEL.fullmatch(generic):
        return generic
    local = moment.astimezone(zone)
    abbreviation = local.tzname() or ""
    if ZONE_LABEL.fullmatch(abbreviation):
        return abbreviation
    return _utc_offset(local.utcoffset() or dt.timedelta())


def _utc_offset(offset: dt.timedelta) -> str:
    """ "UTC+4", "UTC-3", "UTC+5:30", "UTC" (for zero)."""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    hours, rest = divmod(minutes, 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def spoken_zone(zone: ZoneInfo, moment: dt.datetime) -> str:
    """The zone as a caller hears it: "Eastern time", "Pacific time" (CLDR's long generic
    name, never the letters "E T"); for zones without one (Babel falls back to a place,
    "United States (Honolulu) Time"), the long name for that moment: "Hawaii time"."""
    name = str(get_timezone_name(zone, width="long", locale=LOCALE))
    if "(" in name:
        name = str(get_timezone_name(moment.astimezone(zone), width="long", locale=LOCALE))
    return name[: -len(" Time")] + " time" if name.endswith(" Time") else name


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
