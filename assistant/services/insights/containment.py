"""Containment: did the bot see the client's question through on its own?

Containment
    Of the bot-started conversations of the period (conversations created in it with at
    least one message written by the client), the share the bot resolved: no hand-off ticket
    was ever opened in it (a conversation with both a bot resolution and a hand-off counts
    as a hand-off), and the same client (same client record, or the same phone number when
    unidentified) started no other conversation within 48 hours after its last activity.
    A conversation whose last activity is under 48 hours old and that was not handed off is
    too recent to judge: it is left out until it is.
    The unit is a contact: a web chat session or a phone call is one conversation row. An
    SMS thread is one row per number for ever (conversation/outbound.sms_conversation_for),
    so it is cut into contacts by silence: a message after 24 hours without any message
    starts the thread's next contact, and a hand-off belongs to the contact it was opened in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from assistant.services.insights import rollups
from assistant.services.insights.panel import Figure, Headline, Panel, PanelText, make_panel, make_series, share
from assistant.services.insights.rollups import DayCounts
from assistant.services.insights.sql import day_key, plus_hours
from assistant.services.insights.window import InsightsWindow
from assistant.store.models import Author, Channel, Conversation, HandoffTicket, Message, Practice, utcnow

# Roll-up name (rollups.py): a day's contacts by channel and outcome (the four below).  A day
# with a contact TOO_RECENT to judge is not settled, so it is never rolled up.
CONTAINMENT_ROLLUP = "containment"
HANDED_OFF, REPEAT, TOO_RECENT, CONTAINED = "handed_off", "repeat", "recent", "contained"
REPEAT_CONTACT_HOURS = 48
SMS_CONTACT_GAP_HOURS = 24  # shorter than the repeat window: a text back a day later is a repeat
CONTAINMENT = PanelText(
    key="containment",
    title="Containment",
    definition=(
        "Share of bot-started conversations the bot resolved: no hand-off, and no new contact "
        "from that client within 48 hours."
    ),
    group="owner",
    chart="line",
    unit="percent",
)


@dataclass(frozen=True)
class ContainmentCounts:
    started: int = 0
    handed_off: int = 0
    repeat_contact: int = 0  # not handed off, but the client came back within 48 hours
    too_recent: int = 0
    contained: int = 0

    @property
    def judged(self) -> int:
        return self.started - self.too_recent

    @property
    def rate(self) -> float | None:
        return share(self.contained, self.judged)

    def __add__(self, other: ContainmentCounts) -> ContainmentCounts:
        return ContainmentCounts(
            self.started + other.started,
            self.handed_off + other.handed_off,
            self.repeat_contact + other.repeat_contact,
            self.too_recent + other.too_recent,
            self.contained + other.contained,
        )


def containment_counts(session: Session, practice: Practice, window: InsightsWindow, now: dt.datetime) -> DayCounts:
    """Per local day of the contact's start and channel, how many contacts had each outcome
    (HANDED_OFF, REPEAT, TOO_RECENT, CONTAINED), aggregated in SQL.

    "New contact from that client" is the client's next client-written conversation (by
    start time, any channel), found with LEAD() over the client's conversations: one sorted
    pass instead of a correlated lookup per conversation.  The client is the client record
    when known, else the phone number; an anonymous web chat has nobody to come back."""
    identity = func.coalesce(
        literal("client:") + cast(Conversation.client_id, String), literal("phone:") + Conversation.address
    )
    lookahead = window.end + dt.timedelta(days=REPEAT_CONTACT_HOURS // 24 + 7)  # for the next contact's start
    # Per conversation, a short range of ix_messages_conversation_created (migration 0013), which
    # carries the author: without it, SQLite scanned every client message for each conversation.
    client_wrote = (
        select(Message.id)
        .where(Message.conversation_id == Conversation.id)
        .where(Message.author == Author.CLIENT, Message.created_at >= window.start)
        .exists()
    )
    sessions = select(
        Conversation.id.label("id"),
        Conversation.channel.label("channel"),
        Conversation.created_at.label("created_at"),
        Conversation.last_activity_at.label("last_activity_at"),
        identity.label("identity"),
        false().label("is_thread"),  # every hand-off of the conversation is this contact's
    ).where(
        Conversation.practice_id == practice.id,
        Conversation.channel != Channel.SMS,
        client_wrote,
        Conversation.created_at >= window.start,
        Conversation.created_at < lookahead,
    )
    everyone = union_all(sessions, _sms_contacts(session, practice, window, identity, lookahead)).subquery("everyone")
    contacts = select(
        *everyone.c,
        func.lead(everyone.c.created_at)
        .over(partition_by=everyone.c.identity, order_by=(everyone.c.created_at, everyone.c.id))
        .label("next_start"),
    ).subquery("contacts")
    until = plus_hours(session, contacts.c.last_activity_at, REPEAT_CONTACT_HOURS)
    came_back = and_(
        contacts.c.identity.is_not(None),
        contacts.c.next_start > contacts.c.last_activity_at,
        contacts.c.next_start <= until,
    )
    handed_off = exists().where(
        HandoffTicket.conversation_id == contacts.c.id,
        HandoffTicket.created_at >= contacts.c.created_at,
        # An SMS contact's hand-offs: opened before the silence that ended it (computed here,
        # from the contact's last message, which is a subquery worth evaluating once).
        or_(
            ~contacts.c.is_thread,
            HandoffTicket.created_at < plus_hours(session, contacts.c.last_activity_at, SMS_CONTACT_GAP_HOURS),
        ),
    )
    too_recent = contacts.c.last_activity_at > now - dt.timedelta(hours=REPEAT_CONTACT_HOURS)
    # In the definition's order: a hand-off decides it; then a repeat contact (even for a
    # recent conversation); then too recent to judge.
    outcome = case((handed_off, HANDED_OFF), (came_back, REPEAT), (too_recent, TOO_RECENT), else_=CONTAINED)
    channel_kept = true() if window.channel == "all" else contacts.c.channel == Channel(window.channel)
    day = day_key(session, contacts.c.created_at, window)
    rows = session.execute(
        select(day, contacts.c.channel, outcome, func.count())
        .where(contacts.c.created_at < window.end, channel_kept)
        .group_by(day, contacts.c.channel, outcome)
    ).all()
    return {(day_text, Channel(channel), kind): count for day_text, channel, kind, count in rows}


def _per_day(found: DayCounts) -> dict[str, ContainmentCounts]:
    per_day: dict[str, ContainmentCounts] = {}
    for (day, _, kind), count in found.items():
        counts = ContainmentCounts(
            started=count,
            handed_off=count if kind == HANDED_OFF else 0,
            repeat_contact=count if kind == REPEAT else 0,
            too_recent=count if kind == TOO_RECENT else 0,
            contained=count if kind == CONTAINED else 0,
        )
        per_day[day] = per_day.get(day, ContainmentCounts()) + counts
    return per_day


def _sms_contacts(
    session: Session, practice: Practice, window: InsightsWindow, identity: ColumnElement[str], lookahead: dt.datetime
) -> Select[Any]:
    """SMS threads cut into contacts by silence, as rows shaped like `sessions` above.

    LAG() over the threads' messages marks a message that follows 24 h of silence (or none)
    as a contact's start; LEAD() over the starts alone gives each contact's end, the next
    start; and two short index ranges per contact (ix_messages_conversation_created) find
    its last message and whether the client wrote in it.  Messages from a day before the
    period are read so a contact under way when the period begins is not taken for a new
    one.  (Numbering every message's contact with a running SUM() and grouping them sorted
    all of the period's messages twice; a NOT EXISTS per message instead of LAG() made
    PostgreSQL hash every message ever stored.)"""
    sms_threads = select(Conversation.id).where(
        Conversation.practice_id == practice.id, Conversation.channel == Channel.SMS
    )
    previous = func.lag(Message.created_at).over(
        partition_by=Message.conversation_id, order_by=(Message.created_at, Message.id)
    )
    messages = (
        select(
            Message.conversation_id.label("conversation_id"),
            Message.created_at.label("at"),
            previous.label("previous_at"),
        )
        .where(Message.conversation_id.in_(sms_threads))
        .where(Message.created_at >= window.start - dt.timedelta(hours=SMS_CONTACT_GAP_HOURS))
        .where(Message.created_at < lookahead)
        .subquery("sms_messages")
    )
    after_silence = or_(
        messages.c.previous_at.is_(None),
        messages.c.at > plus_hours(session, messages.c.previous_at, SMS_CONTACT_GAP_HOURS),
    )
    starts = (
        select(messages.c.conversation_id, messages.c.at.label("started"))
        .where(after_silence, messages.c.at >= window.start)
        .subquery("sms_starts")
    )
    spans = select(
        starts.c.conversation_id,
        starts.c.started,
        func.lead(starts.c.started)
        .over(partition_by=starts.c.conversation_id, order_by=starts.c.started)
        .label("next_start"),
    ).subquery("sms_spans")
    inside = aliased(Message)
    in_span = and_(
        inside.conversation_id == spans.c.conversation_id,
        inside.created_at >= spans.c.started,
        or_(spans.c.next_start.is_(None), inside.created_at < spans.c.next_start),
        inside.created_at < lookahead,  # as far as the period's contacts are read
    )
    last_at = select(func.max(inside.created_at)).where(in_span).scalar_subquery()
    client_wrote = select(inside.id).where(in_span, inside.author == Author.CLIENT).exists()
    per_contact = (
        select(spans.c.conversation_id, spans.c.started, last_at.label("last_at"))
        .where(client_wrote)
        .subquery("sms_contacts")
    )
    return select(
        Conversation.id.label("id"),
        Conversation.channel.label("channel"),
        per_contact.c.started.label("created_at"),
        per_contact.c.last_at.label("last_activity_at"),
        identity.label("identity"),
        true().label("is_thread"),
    ).join(per_contact, per_contact.c.conversation_id == Conversation.id)


def containment(session: Session, practice: Practice, window: InsightsWindow, now: dt.datetime | None = None) -> Panel:
    moment = now or utcnow()
    found = rollups.day_counts(
        session, practice, window, CONTAINMENT_ROLLUP, lambda part: containment_counts(session, practice, part, moment)
    )
    per_day = _per_day(found)
    per_bucket: dict[str, ContainmentCounts] = {}
    total = ContainmentCounts()
    for day, counts in per_day.items():
        bucket = window.bucket_of_day(day)
        per_bucket[bucket] = per_bucket.get(bucket, ContainmentCounts()) + counts
        total = total + counts
    xs = window.buckets()
    series = [make_series("contained", "Contained (%)", xs, {b: c.rate for b, c in per_bucket.items()}, None)]
    figures = [
        Figure("started", "Bot-started conversations", float(total.started), "count"),
        Figure("contained", "Resolved by the bot", float(total.contained), "count"),
        Figure("handed_off", "Handed off", float(total.handed_off), "count"),
        Figure("repeat_contact", "Came back within 48 h", float(total.repeat_contact), "count"),
        Figure("too_recent", "Too recent to judge", float(total.too_recent), "count"),
    ]
    return make_panel(
        CONTAINMENT,
        x_label=window.x_label,
        series=series,
        headline=Headline(total.rate, "percent", "contained"),
        has_data=total.started > 0,
        figures=figures,
    )
