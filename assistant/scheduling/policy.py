"""The cancellation policy, quoted before anything changes: pure, no database.

A change with less notice than the practice's window is "late".  A late
cancellation carries the practice's fee; a late reschedule is told about the
policy but no fee is recorded for it (the practice decides case by case).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

ChangeAction = Literal["cancel", "reschedule"]


def format_money(cents: int) -> str:
    """7500 -> "$75.00"; the one way amounts are shown to clients."""
    sign = "-" if cents < 0 else ""
    dollars, remainder = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{remainder:02d}"


def _hours(count: int) -> str:
    return f"{count} hour" if count == 1 else f"{count} hours"


def _notice(count: int) -> str:
    return "1 hour's notice" if count == 1 else f"{count} hours' notice"


@dataclass(frozen=True)
class PolicyQuote:
    inside_window: bool
    hours_notice: float
    fee_cents: int  # what a cancellation now would cost; 0 outside the window
    window_hours: int
    policy_fee_cents: int  # the practice's late fee, whether or not it applies

    def describe(self, action: ChangeAction = "cancel") -> str:
        """One short, client-facing sentence about what this change costs."""
        notice = f"Our policy asks for {_notice(self.window_hours)}"
        if not self.inside_window:
            free = "cancel" if action == "cancel" else "reschedule"
            return (
                f"{notice}; this session is more than {_hours(self.window_hours)} away, so you can {free} at no charge."
            )
        soon = f"this session is in less than {_hours(self.window_hours)}"
        if self.policy_fee_cents <= 0:
            return f"{notice}; {soon}, but there is no late fee."
        fee = format_money(self.policy_fee_cents)
        if action == "cancel":
            return f"{notice}; because {soon}, a {fee} late-cancellation fee applies."
        return (
            f"{notice}; because {soon}, changes this close to the session "
            f"may be subject to the {fee} late-cancellation fee."
        )


def quote_change(starts_at: dt.datetime, now: dt.datetime, window_hours: int, fee_cents: int) -> PolicyQuote:
    """What the policy says about changing a session starting at `starts_at`, asked at `now`."""
    for name, value in (("starts_at", starts_at), ("now", now)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")
    hours_notice = (starts_at - now).total_seconds() / 3600
    inside_window = hours_notice < window_hours
    return PolicyQuote(
        inside_window=inside_window,
        hours_notice=hours_notice,
        fee_cents=max(fee_cents, 0) if inside_window else 0,
        window_hours=window_hours,
        policy_fee_cents=max(fee_cents, 0),
    )
