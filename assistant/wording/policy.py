"""The cancellation policy in one sentence (`policy.*`): what a change to a session costs.

`assistant.scheduling.policy` works out the facts (how much notice, the fee, whether the
change is late); `PolicyQuote.describe` says them through here.
"""

from __future__ import annotations

from assistant.wording.catalog import text
from assistant.wording.durations import counted
from assistant.wording.formats import money


def policy_sentence(action: str, *, inside_window: bool, window_hours: int, fee_cents: int) -> str:
    """`action` is "cancel" or "reschedule" (scheduling.policy.ChangeAction); `fee_cents` is
    the practice's late fee, whether or not it applies to this change."""
    if not inside_window:
        key = f"policy.outside_window.{action}"
    elif fee_cents <= 0:
        key = "policy.late_no_fee"
    else:
        key = f"policy.late.{action}"
    return text(
        key,
        notice=counted("policy.notice", window_hours),
        window=counted("duration.hours", window_hours),
        fee=money(fee_cents),
    )
