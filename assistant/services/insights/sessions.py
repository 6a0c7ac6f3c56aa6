"""Sessions kept and lost: no-shows by month, cancellations rebooked, and the dropped-off worklist.

No-show rate
    Per local month of the session's start: no-shows / (completed + no-shows).  A month
    counts as "reminders on" when at least one reminder text was sent in it, so the chart
    shows the rate before and after reminders were turned on.
Cancellations rebooked within 7 days
    Cancellations (on time or late) made in the period (`status_changed_at`), and the share
    after which the same client booked a session (one not itself cancelled) within 7 days.
    A cancellation under 7 days old that is not rebooked yet is left out until it is judged.
Dropped-off worklist
    The clients on the worklist at the end of the period (the outreach rule: a completed
    session, none since for the practice's `dropped_off_after_days`, nothing booked at that
    moment, not discharged nor do-not-contact), and per bucket the clients a person reached
    out to, and those texted a check-in (outreach_contacts).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy import and_, case, exists, func, not_, select
from sqlalchemy.orm import Session, aliased

from assistant.outreach.settings import settings_for
from assistant.services.insights.filters import in_period
from assistant.services.insights.outreach_texts import OUTREACH_LINK
from assistant.services.insights.panel import Figure, Headline, Panel, PanelText, make_panel, make_series, share
from assistant.services.insights.sql import day_key, plus_hours
from assistant.services.insights.window import InsightsWindow
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Client,
    OutreachContact,
    OutreachJob,
    OutreachKind,
    OutreachState,
    Practice,
    utcnow,
)

NO_SHOWS = PanelText(
    key="no_shows",
    title="No-show rate by month",
    definition="No-shows as a share of sessions due (completed or no-show), by month, before and after reminders.",
    group="owner",
    chart="bar",
    unit="percent",
)
REBOOKING = PanelText(
    key="rebooking",
    title="Cancellations rebooked",
    definition="Share of cancellations after which the client booked again within 7 days.",
    group="owner",
    chart="line",
    unit="percent",
)
DROPPED_OFF = PanelText(
    key="dropped_off",
    title="Dropped-off clients",
    definition="The dropped-off worklist (no recent session, nothing booked): its size, and clients reached out to.",
    group="owner",
    chart="bar",
    unit="count",
)
REBOOK_DAYS = 7
CONTACT_KINDS = (("reached_out", "Reached out to"), ("checkin_texted", "Texted a check-in"))
CANCELLED = (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED)


def no_shows(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    due = (AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW)
    key = day_key(session, Appointment.starts_at, window)
    rows = session.execute(
        select(key, func.count(), func.sum(case((Appointment.status == AppointmentStatus.NO_SHOW, 1), else_=0)))
        .where(Appointment.practice_id == practice.id, Appointment.status.in_(due))
        .where(in_period(Appointment.starts_at, window))
        .group_by(key)
    ).all()
    sessions: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for day, count, no_show in rows:
        month = day[:7]
        sessions[month] += count
        missed[month] += int(no_show or 0)
    reminder_key = day_key(session, OutreachJob.decided_at, window)
    reminded = {
        day[:7]
        for (day,) in session.execute(
            select(reminder_key)
            .where(OutreachJob.practice_id == practice.id, OutreachJob.kind == OutreachKind.REMINDER)
            .where(OutreachJob.state == OutreachState.SENT, in_period(OutreachJob.decided_at, window))
            .group_by(reminder_key)
        )
    }
    months = window.months()
    rate = {month: share(missed[month], sessions[month]) for month in months}
    series = [
        make_series(
            "before", "No reminders that month (%)", months, {m: r for m, r in rate.items() if m not in reminded}, None
        ),
        make_series("after", "Reminders on (%)", months, {m: r for m, r in rate.items() if m in reminded}, None),
    ]
    total = sum(sessions.values())
    return make_panel(
        NO_SHOWS,
        x_label="Month",
        series=series,
        headline=Headline(share(sum(missed.values()), total), "percent", "no-show rate"),
        has_data=total > 0,
        figures=[
            Figure("sessions", "Sessions due", float(total), "count"),
            Figure("no_shows", "No-shows", float(sum(missed.values())), "count"),
        ],
    )


def rebooking(session: Session, practice: Practice, window: InsightsWindow, now: dt.datetime | None = None) -> Panel:
    now = now or utcnow()
    again = aliased(Appointment)
    rebooked = exists().where(
        again.client_id == Appointment.client_id,
        again.id != Appointment.id,
        again.created_at >= Appointment.status_changed_at,
        again.created_at <= plus_hours(session, Appointment.status_changed_at, 24 * REBOOK_DAYS),
        again.status.not_in(CANCELLED),
    )
    too_recent = Appointment.status_changed_at > now - dt.timedelta(days=REBOOK_DAYS)
    key = day_key(session, Appointment.status_changed_at, window)
    rows = session.execute(
        select(
            key,
            func.count(),
            func.sum(case((rebooked, 1), else_=0)),
            func.sum(case((rebooked, 0), (too_recent, 1), else_=0)),
        )
        .where(Appointment.practice_id == practice.id, Appointment.status.in_(CANCELLED))
        .where(in_period(Appointment.status_changed_at, window))
        .group_by(key)
    ).all()
    judged: Counter[str] = Counter()
    again_booked: Counter[str] = Counter()
    cancellations = 0
    for day, count, booked, recent in rows:
        bucket = window.bucket_of_day(day)
        cancellations += count
        judged[bucket] += count - int(recent or 0)
        again_booked[bucket] += int(booked or 0)
    xs = window.buckets()
    rates = {bucket: share(again_booked[bucket], judged[bucket]) for bucket in xs}
    return make_panel(
        REBOOKING,
        x_label=window.x_label,
        series=[make_series("rebooked", "Rebooked within 7 days (%)", xs, rates, None)],
        headline=Headline(share(sum(again_booked.values()), sum(judged.values())), "percent", "rebooked within 7 days"),
        has_data=cancellations > 0,
        figures=[
            Figure("cancellations", "Cancellations", float(cancellations), "count"),
            Figure("rebooked", "Rebooked within 7 days", float(sum(again_booked.values())), "count"),
        ],
        links=[OUTREACH_LINK],
    )


def worklist_size(session: Session, practice: Practice, at: dt.datetime) -> int:
    """How many clients were on the dropped-off worklist at `at`.

    The rule is defined once, in outreach/rules.dropped_off (what the worklist shows); this is
    that rule as one SQL count, so a year of history is not loaded client by client, and as of
    `at` rather than now. tests/insights/test_calls_and_outreach.py checks the two agree on
    every branch of the rule."""
    gone_days = settings_for(practice).dropped_off_after_days
    last_completed = (
        select(Appointment.client_id, func.max(Appointment.starts_at).label("last_at"))
        .where(Appointment.practice_id == practice.id, Appointment.status == AppointmentStatus.COMPLETED)
        .where(Appointment.starts_at <= at)
        .group_by(Appointment.client_id)
        .subquery()
    )
    upcoming = aliased(Appointment)
    booked_at = exists().where(
        upcoming.client_id == last_completed.c.client_id,
        upcoming.starts_at > at,
        upcoming.created_at <= at,
        not_(and_(upcoming.status.in_(booking_ended()), upcoming.status_changed_at <= at)),
    )
    count = session.scalar(
        select(func.count())
        .select_from(last_completed)
        .join(Client, Client.id == last_completed.c.client_id)
        .where(last_completed.c.last_at <= at - dt.timedelta(days=gone_days), not_(booked_at))
        .where(Client.do_not_contact.is_(False))
        .where((Client.discharged_at.is_(None)) | (Client.discharged_at > at))
    )
    return int(count or 0)


def booking_ended() -> tuple[AppointmentStatus, ...]:
    """Statuses that end a booking (a session cancelled or moved no longer holds the slot)."""
    return (*CANCELLED, AppointmentStatus.RESCHEDULED)


def dropped_off(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    xs = window.buckets()
    key = day_key(session, OutreachContact.at, window)
    contacted: dict[str, dict[str, set[int]]] = {kind: defaultdict(set) for kind, _ in CONTACT_KINDS}
    everyone: set[int] = set()
    for day, kind, client_id in session.execute(
        select(key, OutreachContact.kind, OutreachContact.client_id)
        .where(OutreachContact.practice_id == practice.id, in_period(OutreachContact.at, window))
        .group_by(key, OutreachContact.kind, OutreachContact.client_id)
    ):
        if kind in contacted:
            contacted[kind][window.bucket_of_day(day)].add(client_id)
            everyone.add(client_id)
    series = [
        make_series(kind, name, xs, {b: float(len(ids)) for b, ids in contacted[kind].items()})
        for kind, name in CONTACT_KINDS
    ]
    size = worklist_size(session, practice, min(window.end, utcnow()))
    return make_panel(
        DROPPED_OFF,
        x_label=window.x_label,
        series=series,
        headline=Headline(float(size), "count", "clients on the worklist"),
        has_data=size > 0 or bool(everyone),
        figures=[
            Figure("on_worklist", "On the worklist at the end of the period", float(size), "count"),
            Figure("reached", "Clients reached out to or texted", float(len(everyone)), "count"),
        ],
        links=[OUTREACH_LINK],
    )
