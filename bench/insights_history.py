"""A year of front-desk history for a 20-clinician practice, written with bulk inserts (SQLAlchemy
Core executemany), to time the insights queries on a realistic volume: about 100k messages,
15k appointments, 25k conversations, their hand-offs, calls, reminders and audit events.

This is load, not a story: rows are made directly (not through the services, which would take
minutes) and only need the shape the insights read.  Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Author,
    Call,
    Channel,
    Client,
    Clinician,
    Conversation,
    ConversationState,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
    Modality,
    Practice,
    TicketState,
)
from bench.insights_records import ZONE, bulk, moment_in_year, outreach_rows, self_service_rows

CLINICIANS = 20
CLIENTS = 1500
APPOINTMENTS = 15_000
CONVERSATIONS = 25_000
MESSAGES_PER_CONVERSATION = 4
HANDOFF_SHARE = 0.12
HOURS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def build_year(session: Session, now: dt.datetime, seed: int = 13) -> Practice:
    """The practice "bench-insights" and a year of history up to `now` (and a month booked ahead)."""
    rng = random.Random(seed)
    practice = Practice(
        slug="bench-insights",
        name="Bench Insights Practice",
        timezone=ZONE,
        business_hours=HOURS,
        response_window_minutes=60,
        phone_e164="+15557000000",
    )
    session.add(practice)
    session.flush()
    clinicians = [Clinician(practice_id=practice.id, display_name=f"Clinician {n}") for n in range(CLINICIANS)]
    session.add_all(clinicians)
    session.flush()
    client_ids = _clients(session, practice, clinicians, rng, now)
    appointment_ids = _appointments(session, practice, clinicians, client_ids, rng, now)
    _conversations(session, practice, client_ids, rng, now)
    outreach_rows(session, practice, appointment_ids, rng)
    self_service_rows(session, client_ids, rng, now)
    session.flush()
    return practice


def _clients(
    session: Session, practice: Practice, clinicians: list[Clinician], rng: random.Random, now: dt.datetime
) -> list[int]:
    rows = [
        {
            "id": 1000 + n,
            "practice_id": practice.id,
            "first_name": "Bench",
            "last_name": f"Client{n}",
            "mobile_e164": f"+1555701{n:04d}",
            "date_of_birth": dt.date(1980, 1, 1) + dt.timedelta(days=n),
            "primary_clinician_id": clinicians[n % len(clinicians)].id,
            "sms_consent": True,
            "created_at": now - dt.timedelta(days=400),
        }
        for n in range(CLIENTS)
    ]
    bulk(session, Client, rows)
    return [row["id"] for row in rows]


def _slots(clinician_count: int, now: dt.datetime) -> list[tuple[int, dt.datetime]]:
    zone = ZoneInfo(ZONE)
    first = (now - dt.timedelta(days=365)).astimezone(zone).date()
    slots = []
    for offset in range(395):
        day = first + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour in range(9, 17):
            starts = dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)
            slots.extend((index, starts) for index in range(clinician_count))
    return slots


def _appointments(
    session: Session,
    practice: Practice,
    clinicians: list[Clinician],
    clients: list[int],
    rng: random.Random,
    now: dt.datetime,
) -> list[tuple[int, int, dt.datetime, str]]:
    chosen = sorted(rng.sample(_slots(len(clinicians), now), APPOINTMENTS), key=lambda slot: slot[1])
    rows, made = [], []
    for number, (index, starts) in enumerate(chosen):
        appointment_id = 1000 + number
        client = clients[rng.randrange(len(clients))]
        created = starts - dt.timedelta(days=rng.uniform(2, 30))
        if starts > now:
            status, changed = AppointmentStatus.BOOKED, None
        else:
            status = rng.choices(
                [
                    AppointmentStatus.COMPLETED,
                    AppointmentStatus.NO_SHOW,
                    AppointmentStatus.CANCELLED,
                    AppointmentStatus.LATE_CANCELLED,
                ],
                weights=[86, 5, 7, 2],
            )[0]
            changed = (
                starts + dt.timedelta(hours=1)
                if status is not AppointmentStatus.CANCELLED
                else starts - dt.timedelta(days=2)
            )
            if status is AppointmentStatus.LATE_CANCELLED:
                changed = starts - dt.timedelta(hours=5)
        rows.append(
            {
                "id": appointment_id,
                "practice_id": practice.id,
                "client_id": client,
                "clinician_id": clinicians[index].id,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(minutes=50),
                "modality": Modality.TELEHEALTH if rng.random() < 0.4 else Modality.IN_PERSON,
                "status": status,
                "status_changed_at": changed,
                "confirmed_at": starts - dt.timedelta(hours=40) if rng.random() < 0.6 else None,
                "created_at": created,
            }
        )
        made.append((appointment_id, client, starts, status.value))
    bulk(session, Appointment, rows)
    return made


def _conversations(
    session: Session, practice: Practice, clients: list[int], rng: random.Random, now: dt.datetime
) -> None:
    conversations, messages, tickets, calls = [], [], [], []
    reasons = list(HandoffReason)
    for number in range(CONVERSATIONS):
        channel = rng.choices([Channel.WEB, Channel.SMS, Channel.VOICE], weights=[50, 30, 20])[0]
        client = clients[rng.randrange(len(clients))] if rng.random() < 0.85 else None
        started = moment_in_year(rng, now)
        conversation_id = str(uuid.UUID(int=rng.getrandbits(128)))
        handed = rng.random() < HANDOFF_SHARE
        conversations.append(
            {
                "id": conversation_id,
                "practice_id": practice.id,
                "channel": channel,
                "client_id": client,
                "address": None if channel is Channel.WEB else f"+1555702{number % 9000:04d}",
                "state": ConversationState.RESOLVED,
                "created_at": started,
                "last_activity_at": started + dt.timedelta(minutes=6),
            }
        )
        for turn in range(MESSAGES_PER_CONVERSATION):
            by_client = turn % 2 == 0
            author = Author.CLIENT if by_client else (Author.REP if handed and turn == 3 else Author.BOT)
            at = started + dt.timedelta(minutes=2 * turn)
            if author is Author.REP:
                at = started + dt.timedelta(minutes=rng.choice([5, 20, 45, 90, 240, 900]))
            messages.append(
                {
                    "conversation_id": conversation_id,
                    "direction": Direction.INBOUND if by_client else Direction.OUTBOUND,
                    "author": author,
                    "text": "bench message",
                    "status": MessageStatus.PROCESSED if by_client else MessageStatus.DELIVERED,
                    "created_at": at,
                }
            )
        if handed:
            tickets.append(
                {
                    "conversation_id": conversation_id,
                    "reason": rng.choice(reasons),
                    "priority": 5,
                    "state": TicketState.CLOSED,
                    "created_at": started + dt.timedelta(minutes=3),
                    "closed_at": started + dt.timedelta(hours=5),
                }
            )
        if channel is Channel.VOICE:
            calls.append(_call(number, conversation_id, practice, started, rng))
    bulk(session, Conversation, conversations)
    bulk(session, Message, messages)
    bulk(session, HandoffTicket, tickets)
    bulk(session, Call, calls)


def _call(
    number: int, conversation_id: str, practice: Practice, started: dt.datetime, rng: random.Random
) -> dict[str, Any]:
    outcome = rng.random()
    voicemail = outcome < 0.15
    return {
        "call_sid": f"CAbench{number:08d}",
        "conversation_id": conversation_id,
        "practice_id": practice.id,
        "from_number": f"+1555702{number % 9000:04d}",
        "twilio_status": "no-answer" if outcome > 0.95 else "completed",
        "bot_helped": 0.3 < outcome < 0.8,
        "dial_target": "front_desk" if outcome >= 0.8 else None,
        "dial_status": "completed" if outcome >= 0.8 else None,
        "recording_sid": f"REbench{number:08d}" if voicemail else None,
        "recording_url": f"https://api.twilio.example/{number}" if voicemail else None,
        "missed_text_sent_at": started + dt.timedelta(minutes=3) if outcome > 0.95 else None,
        "called_back_at": started + dt.timedelta(minutes=rng.randrange(20, 400)) if voicemail else None,
        "started_at": started,
        "ended_at": started + dt.timedelta(minutes=3),
        "duration_seconds": 180,
    }
