"""When, in words: a moment as a text reads it and as a call says it.

Written (chat, SMS): "4:30 PM ET today", "Mon Nov 30, 10:00 AM ET": the zone is labelled
(formats.zone_label), since a client may read it anywhere.  Spoken (phone): "4:30 PM today,
Eastern time", "Monday at 10 AM, Eastern time": the zone in words, never its letters, and
no minutes when there are none.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.wording import formats
from assistant.wording.catalog import text

_A_WEEK = 7


def written_moment(moment: dt.datetime, zone: ZoneInfo, now: dt.datetime | None = None) -> str:
    """'Mon Nov 30, 10:00 AM ET' in the practice's timezone; '4:30 PM ET today' when it is."""
    local = moment.astimezone(zone)
    clock = formats.clock_with_zone(local, zone)
    if now is not None and now.astimezone(zone).date() == local.date():
        return text("moment.today", clock=clock)
    return text("moment.another_day", date=formats.short_date(local.date()), clock=clock)


def spoken_moment(moment: dt.datetime, zone: ZoneInfo, now: dt.datetime) -> str:
    """'4:30 PM today, Eastern time', '10 AM tomorrow, Eastern time', 'Monday at 10 AM, Eastern
    time'; a week or more ahead (or in the past) with its date, 'Monday, December 7 at 10 AM,
    Eastern time', so a weekday alone is never ambiguous."""
    local = moment.astimezone(zone)
    time = formats.time_of_day(local.time().replace(second=0, microsecond=0))
    said_zone = formats.spoken_zone(zone, local)
    days_ahead = (local.date() - now.astimezone(zone).date()).days
    if days_ahead == 0:
        return text("spoken.today", time=time, zone=said_zone)
    if days_ahead == 1:
        return text("spoken.tomorrow", time=time, zone=said_zone)
    weekday = formats.weekday(local.date())
    if 1 < days_ahead < _A_WEEK:
        return text("spoken.this_week", weekday=weekday, time=time, zone=said_zone)
    date = formats.month_and_day(local.date())
    return text("spoken.later", weekday=weekday, date=date, time=time, zone=said_zone)
