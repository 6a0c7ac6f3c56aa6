"""Texts the outreach rules sent (outreach_jobs, migration 0007): reminders and follow-ups.

Reminders
    Reminder texts sent in the period (`state = sent`, by `decided_at`); delivered: the
    text's message reached the phone (`messages.status = delivered`); confirmed: the
    reminded session was confirmed by the client (`appointments.confirmed_at`).
Follow-ups
    Follow-up texts sent in the period (no-show, cancelled and not rebooked, no next session,
    dropped-off and manual check-ins); led to a booking: the client booked a session within
    7 days after the text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy import ColumnElement, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from assistant.services.insights.filters import in_period, includes
from assistant.services.insights.panel import Figure, Headline, Link, Panel, PanelText, make_panel, make_series, share
from assistant.services.insights.sql import day_key, plus_hours
from assistant.services.insights.window import InsightsWindow
from assistant.store.models import (
    Appointment,
    Channel,
    Message,
    MessageStatus,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
)

REMINDERS = PanelText(
    key="reminders",
    title="Reminders",
    definition="Session reminders texted, delivered to the phone, and confirmed by the client.",
    group="owner",
    chart="bar",
    unit="count",
)
FOLLOW_UPS = PanelText(
    key="follow_ups",
    title="Follow-ups",
    definition="Follow-up texts sent (no-show, cancelled, no next session, check-in) and those followed by a booking.",
    group="owner",
    chart="bar",
    unit="count",
)
FOLLOW_UP_KINDS = (
    OutreachKind.NO_SHOW,
    OutreachKind.CANCELLED_NOT_REBOOKED,
    OutreachKind.NO_NEXT_SESSION,
    OutreachKind.DROPPED_OFF_CHECKIN,
    OutreachKind.MANUAL_CHECKIN,
)
BOOKED_WITHIN_DAYS = 7
# A job is decided at (or just after) it is due; bounding due_at too lets the query use the
# (state, due_at) index.  Quiet hours and limits can delay a text, never by more than this.
_DECIDED_AFTER_DUE = dt.timedelta(days=3)
OUTREACH_LINK = Link("Outreach and the dropped-off worklist", "/console/outreach")


def _sent_in(window: InsightsWindow) -> ColumnElement[bool]:
    result: ColumnElement[bool] = (
        (OutreachJob.state == OutreachState.SENT)
        & (OutreachJob.due_at >= window.start - _DECIDED_AFTER_DUE)
        & (OutreachJob.due_at < window.end)
        & in_period(OutreachJob.decided_at, window)
    )
    return result


def reminders(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    xs = window.buckets()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    if includes(window, Channel.SMS):
        key = day_key(session, OutreachJob.decided_at, window)
        # One primary-key probe per reminder (a scalar subquery): as outer joins, or as EXISTS,
        # PostgreSQL hashed every delivered message ever stored to look up a few thousand
        # (42 ms for 90 days of the bench's year).
        status = select(Message.status).where(Message.id == OutreachJob.message_id).scalar_subquery()
        confirmed_at = select(Appointment.confirmed_at).where(Appointment.id == OutreachJob.appointment_id)
        delivered = case((status == MessageStatus.DELIVERED, 1), else_=0)
        confirmed = case((confirmed_at.scalar_subquery().is_not(None), 1), else_=0)
        rows = session.execute(
            select(key, func.count(), func.sum(delivered), func.sum(confirmed))
            .where(OutreachJob.practice_id == practice.id, OutreachJob.kind == OutreachKind.REMINDER)
            .where(_sent_in(window))
            .group_by(key)
        ).all()
        for day, sent, delivered_count, confirmed_count in rows:
            bucket = window.bucket_of_day(day)
            counts["sent"][bucket] += sent
            counts["delivered"][bucket] += int(delivered_count or 0)
            counts["confirmed"][bucket] += int(confirmed_count or 0)
    names = (("sent", "Sent"), ("delivered", "Delivered"), ("confirmed", "Confirmed"))
    totals = {kind: sum(counts[kind].values()) for kind, _ in names}
    return make_panel(
        REMINDERS,
        x_label=window.x_label,
        series=[make_series(kind, name, xs, dict(counts[kind])) for kind, name in names],
        headline=Headline(share(totals["confirmed"], totals["sent"]), "percent", "of reminders confirmed"),
        has_data=totals["sent"] > 0,
        figures=[
            *(Figure(kind, name, float(totals[kind]), "count") for kind, name in names),
            Figure("delivered_share", "Delivered (%)", share(totals["delivered"], totals["sent"]), "percent"),
        ],
        links=[OUTREACH_LINK],
    )


def follow_ups(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    xs = window.buckets()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    if includes(window, Channel.SMS):
        booking = aliased(Appointment)
        booked_after = exists().where(
            booking.client_id == OutreachJob.client_id,
            booking.created_at > OutreachJob.decided_at,
            booking.created_at <= plus_hours(session, OutreachJob.decided_at, 24 * BOOKED_WITHIN_DAYS),
        )
        key = day_key(session, OutreachJob.decided_at, window)
        rows = session.execute(
            select(key, func.count(), func.sum(case((booked_after, 1), else_=0)))
            .where(OutreachJob.practice_id == practice.id, OutreachJob.kind.in_(FOLLOW_UP_KINDS))
            .where(_sent_in(window))
            .group_by(key)
        ).all()
        for day, sent, booked in rows:
            bucket = window.bucket_of_day(day)
            counts["sent"][bucket] += sent
            counts["booked"][bucket] += int(booked or 0)
    names = (("sent", "Sent"), ("booked", "Led to a booking"))
    totals = {kind: sum(counts[kind].values()) for kind, _ in names}
    return make_panel(
        FOLLOW_UPS,
        x_label=window.x_label,
        series=[make_series(kind, name, xs, dict(counts[kind])) for kind, name in names],
        headline=Headline(share(totals["booked"], totals["sent"]), "percent", "of follow-ups led to a booking"),
        has_data=totals["sent"] > 0,
        figures=[Figure(kind, name, float(totals[kind]), "count") for kind, name in names],
        links=[OUTREACH_LINK],
    )
