"""Self-service: what clients got done with the bot, without a person.

Self-service completed
    Audit events of the period whose actor is the client themself (`client:<id>`: the bot
    acting on their behalf, services/bot_turn.py; never a rep): bookings (new sessions, not
    counting the new session a reschedule makes), reschedules, cancellations on time and
    late (inside the practice's cancellation window), card updates, video links given
    (`video_link_sent`, services/video_links.py); and one-time portal sign-in links sent.
    The panel covers every channel whatever the channel filter: most of these events carry
    no channel.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from assistant.services.insights.filters import in_period
from assistant.services.insights.panel import Figure, Headline, Panel, PanelText, make_panel, make_series
from assistant.services.insights.sql import day_key
from assistant.services.insights.window import InsightsWindow
from assistant.services.video_links import VIDEO_LINK_SENT
from assistant.store.models import AccessLink, AppointmentStatus, AuditEvent, Client, LinkPurpose, Practice

SELF_SERVICE = PanelText(
    key="self_service",
    title="Self-service completed",
    definition=(
        "What clients did themselves with the bot: bookings, reschedules, cancellations, video and portal links, cards."
    ),
    group="owner",
    chart="stacked_bar",
    unit="count",
)
KINDS = (
    ("bookings", "Bookings"),
    ("reschedules", "Reschedules"),
    ("cancelled_on_time", "Cancellations on time"),
    ("cancelled_late", "Late cancellations"),
    ("video_links", "Video links"),
    ("portal_links", "Portal links"),
    ("card_updates", "Card updates"),
)
_ACTIONS = ("appointment_booked", "appointment_rescheduled", "appointment_cancelled", "card_updated", VIDEO_LINK_SENT)


def self_service(session: Session, practice: Practice, window: InsightsWindow) -> Panel:
    key = day_key(session, AuditEvent.at, window)
    cancelled_as = AuditEvent.details["status"].as_string()
    # The actor names the client; only this practice's clients count.
    client_actor = func.substr(AuditEvent.actor, 8)
    rows = session.execute(
        select(AuditEvent.action, cancelled_as, key, func.count())
        .where(AuditEvent.action.in_(_ACTIONS), in_period(AuditEvent.at, window), AuditEvent.actor.like("client:%"))
        .where(client_actor.in_(select(cast(Client.id, String)).where(Client.practice_id == practice.id)))
        .group_by(AuditEvent.action, cancelled_as, key)
    ).all()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for action, status, day, count in rows:
        bucket = window.bucket_of_day(day)
        if action == "appointment_booked":
            counts["bookings"][bucket] += count
        elif action == "appointment_rescheduled":
            counts["reschedules"][bucket] += count
            counts["bookings"][bucket] -= count  # a reschedule books its new time too
        elif action == "card_updated":
            counts["card_updates"][bucket] += count
        elif action == VIDEO_LINK_SENT:
            counts["video_links"][bucket] += count
        elif status == AppointmentStatus.LATE_CANCELLED.value:
            counts["cancelled_late"][bucket] += count
        else:
            counts["cancelled_on_time"][bucket] += count
    link_key = day_key(session, AccessLink.created_at, window)
    for day, count in session.execute(
        select(link_key, func.count())
        .join(Client, Client.id == AccessLink.client_id)
        .where(Client.practice_id == practice.id, AccessLink.purpose == LinkPurpose.PORTAL_SIGN_IN)
        .where(in_period(AccessLink.created_at, window))
        .group_by(link_key)
    ):
        counts["portal_links"][window.bucket_of_day(day)] += count
    xs = window.buckets()
    series = [make_series(kind, name, xs, dict(counts[kind])) for kind, name in KINDS]
    totals = {kind: sum(counts[kind].values()) for kind, _ in KINDS}
    total = sum(totals.values())
    return make_panel(
        SELF_SERVICE,
        x_label=window.x_label,
        series=series,
        headline=Headline(float(total), "count", "things clients did themselves"),
        has_data=total > 0,
        figures=[Figure(kind, name, float(totals[kind]), "count") for kind, name in KINDS],
    )
