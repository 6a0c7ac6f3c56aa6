"""The phone line: calls of the period (`calls.started_at`) and what became of them.

Calls
    answered: the line picked up (Twilio's final CallStatus "completed"; busy, no-answer,
    failed and canceled calls were missed); resolved by the bot: the bot helped
    (`bot_helped`) and the call was neither transferred nor left a voicemail; transferred: a
    person took the transfer (DialCallStatus completed/answered); voicemails: a message with
    sound was left (`recording_url`); call-back time: median from the end of the call to a
    rep's call back (percentile in SQL); missed-call text-backs answered: of the calls that
    got the missed-call text, those whose number wrote to the practice within 48 hours after.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from assistant.services.calls import ANSWERED
from assistant.services.insights.filters import in_period, includes
from assistant.services.insights.panel import Figure, Headline, Link, Panel, PanelText, make_panel, make_series, share
from assistant.services.insights.sql import day_key, percentile, plus_hours, seconds_between
from assistant.services.insights.window import InsightsWindow
from assistant.store.models import Author, Call, Channel, Conversation, Message, Practice

CALLS = PanelText(
    key="calls",
    title="Calls",
    definition="Phone calls answered, resolved by the bot, transferred to a person, and voicemails left.",
    group="owner",
    chart="bar",
    unit="count",
)
KINDS = (
    ("answered", "Answered"),
    ("bot_resolved", "Resolved by the bot"),
    ("transferred", "Transferred"),
    ("voicemails", "Voicemails"),
)
TEXT_BACK_ANSWER_HOURS = 48


def _flags() -> dict[str, ColumnElement[bool]]:
    transferred = Call.dial_status.in_(sorted(ANSWERED))
    voicemail = Call.recording_url.is_not(None)
    return {
        "answered": Call.twilio_status == "completed",
        "bot_resolved": and_(Call.bot_helped.is_(True), Call.dial_target.is_(None), Call.recording_sid.is_(None)),
        "transferred": transferred,
        "voicemails": voicemail,
    }


def calls(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    xs = window.buckets()
    if not includes(window, Channel.VOICE):
        return _not_used(window, xs)
    key = day_key(session, Call.started_at, window)
    flags = _flags()
    rows = session.execute(
        select(key, func.count(), *(func.sum(case((flag, 1), else_=0)) for flag in flags.values()))
        .where(Call.practice_id == practice.id, in_period(Call.started_at, window))
        .group_by(key)
    ).all()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for day, total, *sums in rows:
        bucket = window.bucket_of_day(day)
        counts["calls"][bucket] += total
        for name, value in zip(flags, sums, strict=True):
            counts[name][bucket] += int(value or 0)
    series = [make_series(kind, name, xs, dict(counts[kind])) for kind, name in KINDS]
    total_calls = sum(counts["calls"].values())
    totals = {kind: sum(counts[kind].values()) for kind, _ in KINDS}
    sent, replied = _text_backs(session, practice, window)
    figures = [
        Figure("calls", "Calls", float(total_calls), "count"),
        *(Figure(kind, name, float(totals[kind]), "count") for kind, name in KINDS),
        Figure("callback_median", "Median call-back time", _callback_median(session, practice, window), "minutes"),
        Figure("text_backs_sent", "Missed-call texts sent", float(sent), "count"),
        Figure("text_backs_answered", "Missed-call texts answered (%)", share(replied, sent), "percent"),
    ]
    return make_panel(
        CALLS,
        x_label=window.x_label,
        series=series,
        headline=Headline(share(totals["answered"], total_calls), "percent", "of calls answered"),
        has_data=total_calls > 0,
        figures=figures,
        links=[Link("Call-backs in the queue", "/console")],
    )


def _callback_median(session: Session, practice: Practice, window: InsightsWindow) -> float | None:
    """Median minutes from a call's end to the rep's call back (calls called back only)."""
    seconds = seconds_between(session, Call.called_back_at, func.coalesce(Call.ended_at, Call.started_at))
    values = select((seconds / 60.0).label("minutes")).where(
        Call.practice_id == practice.id, in_period(Call.started_at, window), Call.called_back_at.is_not(None)
    )
    return percentile(session, values, 0.5)


def _text_backs(session: Session, practice: Practice, window: InsightsWindow) -> tuple[int, int]:
    # From the caller's number (its index) to that conversation's messages (theirs).
    wrote_back = (
        select(Message.id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.address == Call.from_number, Conversation.practice_id + 0 == Call.practice_id)
        .where(Message.author == Author.CLIENT, Message.created_at > Call.missed_text_sent_at)
        .where(Message.created_at <= plus_hours(session, Call.missed_text_sent_at, TEXT_BACK_ANSWER_HOURS))
        .correlate(Call)
        .exists()
    )
    sent, replied = session.execute(
        select(func.count(), func.sum(case((wrote_back, 1), else_=0)))
        .where(Call.practice_id == practice.id, in_period(Call.started_at, window))
        .where(Call.missed_text_sent_at.is_not(None), Call.from_number.is_not(None))
    ).one()
    return int(sent or 0), int(replied or 0)


def _not_used(window: InsightsWindow, xs: list[str]) -> Panel:
    return make_panel(
        CALLS,
        x_label=window.x_label,
        series=[make_series(kind, name, xs, {}) for kind, name in KINDS],
        headline=Headline(None, "percent", "of calls answered"),
        has_data=False,
    )
