"""The cancellation policy, quoted before anything changes: pure, no database.

A change with less notice than the practice's window is "late".  A late
cancellation carries the practice's fee; a late reschedule is told about the
policy but no fee is recorded for it (the practice decides case by case).

Facts only (notice, fee, late or not); the sentence is the catalog's (wording/policy.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from assistant.wording import formats
from assistant.wording.policy import policy_sentence

ChangeAction = Literal["cancel", "reschedule"]


def format_money(cents: int) -> str:
    """7500 -> "$75.00" (kept here for callers; the format is wording's)."""
    return formats.money(cents)


@dataclass(frozen=True)
class PolicyQuote:
    inside_window: bool
    hours_notice: float
    fee_cents: int  # what a cancellation now would cost; 0 outside the window
    window_hours: int
    policy_fee_cents: int  # the practice's late fee, whether or not it applies

    def describe(self, action: ChangeAction = "cancel") -> str:
        """One short, client-facing sentence about what this change costs (the catalog's `policy.*`)."""
        return policy_sentence(
            action, inside_window=self.inside_window, window_hours=self.window_hours, fee_cents=self.policy_fee_cents
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
