"""The hard limits on outreach texts, decided at send time: send, wait, or skip with a reason.

These are the healthcare texting rules the practice relies on (US TCPA healthcare exemption),
applied in code: only with SMS consent to the mobile the client gave, never after an opt-out, a
"do not contact", a pause or a discharge; at most one outreach text per client per local
calendar day and three per rolling seven days (only outreach texts count, not replies); and
nothing between 21:00 and 08:00 in the client's own time zone: a job due then waits for
08:00, it is not skipped.  Pure: no store, no framework.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

QUIET_FROM = dt.time(21, 0)
QUIET_UNTIL = dt.time(8, 0)
DAILY_CAP = 1
WEEKLY_CAP = 3
WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Contact:
    """What may stop a text to this client, whatever the text."""

    sms_consent: bool
    mobile: str | None
    opted_out: bool  # Client.sms_opted_out_at or an SmsOptOut row for the mobile
    do_not_contact: bool
    paused: bool
    discharged: bool
    timezone: str  # the client's own, or the practice's


@dataclass(frozen=True)
class Send:
    pass


@dataclass(frozen=True)
class Wait:
    until: dt.datetime


@dataclass(frozen=True)
class Skip:
    reason: str


Decision = Send | Wait | Skip


def contact_block(contact: Contact) -> str | None:
    """The reason no text may go to this client at all, or None."""
    if contact.discharged:
        return "discharged"
    if contact.do_not_contact:
        return "do_not_contact"
    if contact.opted_out:
        return "opted_out"
    if not contact.sms_consent:
        return "no_sms_consent"
    if not contact.mobile:
        return "no_mobile"
    if contact.paused:
        return "paused"
    return None


def next_allowed(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """`moment` if it is outside quiet hours in `zone`, else the next 08:00 there."""
    local = moment.astimezone(zone)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return moment
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + dt.timedelta(days=1)
    # 08:00 exists on every day (DST changes happen at 02:00 in the US).
    return dt.datetime.combine(day, QUIET_UNTIL, tzinfo=zone).astimezone(dt.UTC)


def cap_block(sent_at: Sequence[dt.datetime], now: dt.datetime, zone: ZoneInfo) -> str | None:
    """ "daily_limit" / "weekly_limit" if one more outreach text now would break a cap."""
    today = now.astimezone(zone).date()
    if sum(1 for t in sent_at if t.astimezone(zone).date() == today) >= DAILY_CAP:
        return "daily_limit"
    if sum(1 for t in sent_at if now - WEEK < t <= now) >= WEEKLY_CAP:
        return "weekly_limit"
    return None


def decide(
    contact: Contact,
    *,
    sent_at: Sequence[dt.datetime],
    now: dt.datetime,
    stale_at: dt.datetime | None = None,
) -> Decision:
    """What to do with one due outreach job now.  `sent_at`: when this client's earlier
    outreach texts were sent; `stale_at`: when the job stops being worth sending."""
    if stale_at is not None and now >= stale_at:
        return Skip("stale")
    blocked = contact_block(contact)
    if blocked:
        return Skip(blocked)
    zone = ZoneInfo(contact.timezone)
    allowed = next_allowed(now, zone)
    if allowed > now:
        if stale_at is not None and allowed >= stale_at:
            return Skip("stale")  # by the morning it would be too late
        return Wait(allowed)
    capped = cap_block(sent_at, now, zone)
    if capped:
        return Skip(capped)
    return Send()
