"""The queue: hand-offs by reason, and how long a handed-off client waits for a person.

Time to first human reply
    For each hand-off ticket opened in the period: from the ticket's `created_at` to the
    first rep-written message in its conversation at or after it (or, for a phone
    conversation, the rep's call back, whichever is first).  Reported as median and p90 in
    business hours (only the practice's open minutes count, in its time zone) and in
    wall-clock time; plus the share answered within the practice's promised window
    (`response_window_minutes` of staffed time, services/promises.reply_due_at): of the
    hand-offs either answered, or unanswered with their due time already past.
    Business-hour waits are computed per hand-off in Python (one row per ticket is fetched,
    not per message), so these percentiles are taken in memory.

Did we help?
    Answers given in the period to the question a client is asked when a rep closes their
    web chat (services/closure.py, services/conversation_feedback.py): thumbs up and down.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.scheduling.hours import add_staffed_minutes
from assistant.services.conversation_feedback import counts as feedback_counts
from assistant.services.insights.business_time import staffed_minutes_between
from assistant.services.insights.filters import channel_clause, in_period
from assistant.services.insights.panel import Figure, Headline, Link, Panel, PanelText, make_panel, make_series, share
from assistant.services.insights.sql import day_key
from assistant.services.insights.stats import percentile
from assistant.services.insights.window import InsightsWindow
from assistant.services.promises import practice_hours
from assistant.store.models import Author, Call, Conversation, HandoffReason, HandoffTicket, Message, Practice, utcnow

BY_REASON = PanelText(
    key="handoffs_by_reason",
    title="Hand-offs by reason",
    definition="Conversations handed to a person, by why the bot handed them over.",
    group="queue_health",
    chart="stacked_bar",
    unit="count",
)
FIRST_REPLY = PanelText(
    key="first_reply",
    title="Time to first human reply",
    definition=(
        "From a hand-off to a person's first reply: median and p90 in business hours, and the share "
        "answered within the practice's promised window."
    ),
    group="queue_health",
    chart="line",
    unit="minutes",
)
# The groups; reasons added later fall into "Other" instead of breaking the chart.
REASON_GROUPS: dict[str, tuple[str, ...]] = {
    "Crisis": (HandoffReason.CRISIS.value,),
    "Requested": (HandoffReason.REQUESTED.value,),
    "Billing": (HandoffReason.BILLING.value,),
    "Low confidence": (HandoffReason.LOW_CONFIDENCE.value, HandoffReason.REPEATED_FAILURE.value),
    "Portal": (HandoffReason.PORTAL_HELP.value,),
    "Verification": (HandoffReason.VERIFICATION_FAILED.value,),
    "Unknown number": (HandoffReason.UNKNOWN_NUMBER.value,),
    "Call-back": (HandoffReason.CALLBACK.value,),
}
OTHER = "Other"
QUEUE_LINK = Link("Open the queue", "/console")


def _group_of(reason: str) -> str:
    return next((name for name, members in REASON_GROUPS.items() if reason in members), OTHER)


def handoffs_by_reason(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    """Hand-off tickets opened in the period (`handoff_tickets.created_at`) by reason group."""
    key = day_key(session, HandoffTicket.created_at, window)
    rows = session.execute(
        select(HandoffTicket.reason, key, func.count())
        .join(Conversation, Conversation.id == HandoffTicket.conversation_id)
        .where(Conversation.practice_id == practice.id, channel_clause(window))
        .where(in_period(HandoffTicket.created_at, window))
        .group_by(HandoffTicket.reason, key)
    ).all()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for reason, day, count in rows:
        counts[_group_of(HandoffReason(reason).value)][window.bucket_of_day(day)] += count
    xs = window.buckets()
    names = [*REASON_GROUPS, OTHER]
    series = [
        make_series(name.lower().replace(" ", "_").replace("-", "_"), name, xs, dict(counts[name])) for name in names
    ]
    total = sum(sum(counter.values()) for counter in counts.values())
    return make_panel(
        BY_REASON,
        x_label=window.x_label,
        series=series,
        headline=Headline(float(total), "count", "hand-offs"),
        has_data=total > 0,
        links=[QUEUE_LINK],
    )


@dataclass(frozen=True)
class Wait:
    """One hand-off: when it was opened, when a person first replied (None: not yet)."""

    opened_at: dt.datetime
    replied_at: dt.datetime | None


def waits(session: Session, practice: Practice, window: InsightsWindow) -> list[Wait]:
    """One row per hand-off opened in the period (bounded by the number of hand-offs)."""
    first_rep_message = (
        select(func.min(Message.created_at))
        .where(
            Message.conversation_id == HandoffTicket.conversation_id,
            Message.author == Author.REP,
            Message.created_at >= HandoffTicket.created_at,
        )
        .correlate(HandoffTicket)
        .scalar_subquery()
    )
    rows = session.execute(
        select(HandoffTicket.created_at, first_rep_message, Call.called_back_at)
        .join(Conversation, Conversation.id == HandoffTicket.conversation_id)
        .outerjoin(Call, Call.conversation_id == Conversation.id)
        .where(Conversation.practice_id == practice.id, channel_clause(window))
        .where(in_period(HandoffTicket.created_at, window))
    ).all()
    found = []
    for opened_at, message_at, called_back_at in rows:
        candidates = [m for m in (message_at, called_back_at) if m is not None and m >= opened_at]
        found.append(Wait(opened_at, min(candidates, default=None)))
    return found


@dataclass(frozen=True)
class Judged:
    """One hand-off's wait, worked out once: minutes (business, wall-clock) if answered, and
    whether it counts for the promise (answered, or already late) and kept it."""

    business: float | None
    wall: float | None
    judged: bool
    within: bool


def judge(practice: Practice, rows: list[Wait], now: dt.datetime) -> list[Judged]:
    business_hours = practice_hours(practice)  # parsed once, not per hand-off
    found = []
    for row in rows:
        due = add_staffed_minutes(business_hours, row.opened_at, practice.response_window_minutes)
        if row.replied_at is not None:
            found.append(
                Judged(
                    staffed_minutes_between(business_hours, row.opened_at, row.replied_at),
                    (row.replied_at - row.opened_at).total_seconds() / 60.0,
                    True,
                    due is None or row.replied_at <= due,
                )
            )
        else:
            found.append(Judged(None, None, due is not None and due < now, False))  # still waiting: late yet?
    return found


@dataclass(frozen=True)
class ReplyTimes:
    answered: int
    unanswered: int
    median_business: float | None
    p90_business: float | None
    median_wall: float | None
    p90_wall: float | None
    within_window_share: float | None


def reply_times(judged: list[Judged]) -> ReplyTimes:
    business = [j.business for j in judged if j.business is not None]
    wall = [j.wall for j in judged if j.wall is not None]
    return ReplyTimes(
        answered=len(business),
        unanswered=len(judged) - len(business),
        median_business=percentile(business, 0.5),
        p90_business=percentile(business, 0.9),
        median_wall=percentile(wall, 0.5),
        p90_wall=percentile(wall, 0.9),
        within_window_share=share(sum(j.within for j in judged), sum(j.judged for j in judged)),
    )


def first_reply(session: Session, practice: Practice, window: InsightsWindow, now: dt.datetime | None = None) -> Panel:
    now = now or utcnow()
    rows = waits(session, practice, window)
    judged = judge(practice, rows, now)
    overall = reply_times(judged)
    by_bucket: dict[str, list[Judged]] = defaultdict(list)
    for row, outcome in zip(rows, judged, strict=True):
        by_bucket[window.bucket_of(row.opened_at)].append(outcome)
    per_bucket = {bucket: reply_times(outcomes) for bucket, outcomes in by_bucket.items()}
    feedback = feedback_counts(session, practice.id, window.start, window.end)
    xs = window.buckets()
    series = [
        make_series(
            "median_business",
            "Median (business minutes)",
            xs,
            {b: t.median_business for b, t in per_bucket.items()},
            None,
        ),
        make_series(
            "p90_business", "p90 (business minutes)", xs, {b: t.p90_business for b, t in per_bucket.items()}, None
        ),
    ]
    figures = [
        Figure("median_business", "Median, business hours", overall.median_business, "minutes"),
        Figure("p90_business", "p90, business hours", overall.p90_business, "minutes"),
        Figure("median_wall", "Median, wall-clock", overall.median_wall, "minutes"),
        Figure("p90_wall", "p90, wall-clock", overall.p90_wall, "minutes"),
        Figure(
            "within_window",
            f"Answered within {practice.response_window_minutes} min promise",
            overall.within_window_share,
            "percent",
        ),
        Figure("answered", "Hand-offs answered", float(overall.answered), "count"),
        Figure("unanswered", "Not answered yet", float(overall.unanswered), "count"),
        # "Did we help?", asked when a rep closes a web chat (services/closure.py).
        Figure("helped_yes", "Clients who said we helped", float(feedback.up), "count"),
        Figure("helped_no", "Clients who said we did not", float(feedback.down), "count"),
    ]
    return make_panel(
        FIRST_REPLY,
        x_label=window.x_label,
        series=series,
        headline=Headline(overall.within_window_share, "percent", "answered within the promised window"),
        has_data=bool(rows),
        figures=figures,
        links=[QUEUE_LINK],
    )
