"""Opening hours and the cancellation policy in words, for the practice-question answers.

`assistant.scheduling.opening_hours` works out the facts (the week grouped, open now or
not, until when); this module says them through the catalog's `faq.*` entries.  Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol
from zoneinfo import ZoneInfo

from assistant.wording import formats
from assistant.wording.catalog import text
from assistant.wording.durations import counted
from assistant.wording.moments import written_moment

_DAY_MINUTES = 24 * 60


class DayGroupFacts(Protocol):
    """What wording needs of a `scheduling.opening_hours.DayGroup` (described, not imported:
    scheduling uses wording, never the reverse)."""

    @property
    def first(self) -> int: ...

    @property
    def last(self) -> int: ...

    @property
    def intervals(self) -> tuple[tuple[int, int], ...]: ...


class OpenStateFacts(Protocol):
    @property
    def open_now(self) -> bool: ...

    @property
    def closes_at(self) -> dt.datetime | None: ...

    @property
    def opens_at(self) -> dt.datetime | None: ...


def _clock(minutes: int) -> str:
    if minutes >= _DAY_MINUTES:
        return formats.time_of_day(dt.time(0)) if minutes == _DAY_MINUTES else _clock(minutes - _DAY_MINUTES)
    return formats.time_of_day(dt.time(minutes // 60, minutes % 60))


def _days(group: DayGroupFacts) -> str:
    names = formats.weekday_names()
    if group.first == group.last:
        return text("faq.hours.day", day=names[group.first])
    return text("faq.hours.days", first=names[group.first], last=names[group.last])


def week_sentence(groups: Sequence[DayGroupFacts]) -> str:
    """'Monday to Friday 9 AM to 5 PM, Saturday 9 AM to noon, closed Sunday'."""
    parts = []
    for group in groups:
        if not group.intervals:
            parts.append(text("faq.hours.closed_group", days=_days(group)))
            continue
        ranges = " and ".join(
            text("faq.hours.range", start=_clock(start), end=_clock(end)) for start, end in group.intervals
        )
        parts.append(text("faq.hours.open_group", days=_days(group), ranges=ranges))
    return ", ".join(parts)


def zone_name(zone: ZoneInfo, now: dt.datetime) -> str:
    """'ET': the zone's label, as every written time carries it (formats.zone_label)."""
    return formats.zone_label(zone, now)


def hours_answer(groups: Sequence[DayGroupFacts], state: OpenStateFacts, zone: ZoneInfo, now: dt.datetime) -> str:
    """The week, and where we stand right now."""
    return text("faq.hours", week=week_sentence(groups), zone=zone_name(zone, now), now=_now_part(state, zone, now))


def _now_part(state: OpenStateFacts, zone: ZoneInfo, now: dt.datetime) -> str:
    if state.open_now:
        if state.closes_at is None:
            return text("faq.hours.now_open_no_end")
        return text("faq.hours.now_open", closes=written_moment(state.closes_at, zone, now))
    if state.opens_at is None:
        return text("faq.hours.now_closed_unknown")
    return text("faq.hours.now_closed", opens=written_moment(state.opens_at, zone, now))


def open_now_answer(state: OpenStateFacts, zone: ZoneInfo, now: dt.datetime) -> str:
    """'Yes, we're open right now, until 5:00 PM EST today.' / 'No, ... We open again Mon Nov 30, 9:00 AM EST.'"""
    if state.open_now:
        if state.closes_at is None:
            return text("faq.open_now.open_no_end")
        return text("faq.open_now.open", closes=written_moment(state.closes_at, zone, now))
    if state.opens_at is None:
        answer = text("faq.open_now.closed_unknown")
    else:
        answer = text("faq.open_now.closed", opens=written_moment(state.opens_at, zone, now))
    return answer + text("faq.open_now.leave_message")


def cancellation_policy_answer(window_hours: int, fee_cents: int) -> str:
    """The policy explained from the practice's own settings (the numbers policy.py quotes)."""
    if window_hours <= 0:
        return text("faq.cancellation_policy.any_time")
    notice = counted("policy.notice", window_hours)
    if fee_cents <= 0:
        return text("faq.cancellation_policy.no_fee", notice=notice)
    return text("faq.cancellation_policy.fee", notice=notice, fee=formats.money(fee_cents))
