"""When, in words: a moment as a text reads it and as a call says it.

Written (chat, SMS): "4:30 PM EST today", "Mon Nov 30, 10:00 AM EST": the zone is named,
since a client may read it anywhere.  Spoken (phone): "4:30 PM today", "10 AM tomorrow",
"Monday at 10 AM": no zone abbreviation, and no minutes when there are none.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.wording import formats
from assistant.wording.catalog import text

_A_WEEK = 7


def written_moment(moment: dt.datetime, zone: ZoneInfo, now: dt.datetime | None = None) -> str:
    """'Mon Nov 30, 10:00 AM EST' in the practice's timezone; '4:30 PM EST today' when it is."""
    local = moment.astimezone(zone)
    clock = formats.clock_with_zone(local, zone)
    if now is not None and now.astimezone(zone).date() == local.date():
        return text("moment.today", clock=clock)
    return text("moment.another_day", date=formats.short_date(local.date()), clock=clock)


def spoken_moment(moment: dt.datetime, zone: ZoneInfo, now: dt.datetime) -> str:
    """'4:30 PM today', '10 AM tomorrow', 'Monday at 10 AM'; a week or more ahead (or in the
    past) with its date, 'Monday, December 7 at 10 AM', so a weekday alone is never ambiguous."""
    local = moment.astimezone(zone)
    time = formats.time_of_day(local.time().replace(second=0, microsecond=0))
    days_ahead = (local.date() - now.astimezone(zone).date()).days
    if days_ahead == 0:
        return text("spoken.today", time=time)
    if days_ahead == 1:
        return text("spoken.tomorrow", time=time)
    weekday = formats.weekday(local.date())
    if 1 < days_ahead < _A_WEEK:
        return text("spoken.this_week", weekday=weekday, time=time)
    return text("spoken.later", weekday=weekday, date=formats.month_and_day(local.date()), time=time)
