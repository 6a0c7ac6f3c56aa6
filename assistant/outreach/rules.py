"""Which outreach texts should exist for one client at one moment: pure rules over plain facts.

Every job has a stable `event_key` (one text per event, ever: the store keeps it unique) and a
`stale_at`, the moment after which sending it would be wrong (a reminder once its session has
started or the next reminder is due; a follow-up a few days late).  Consent, quiet hours and the
daily / weekly caps are not rules: limits.py applies them at send time.  Pure: no store, no
framework; the planner turns store rows into these facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal[
    "reminder",
    "booking_confirmation",
    "no_show",
    "cancelled_not_rebooked",
    "no_next_session",
    "dropped_off_checkin",
]
# Appointment statuses as stored (store.models.AppointmentStatus values).
BOOKED, COMPLETED, NO_SHOW, RESCHEDULED = "booked", "completed", "no_show", "rescheduled"
CANCELLED = frozenset({"cancelled", "late_cancelled"})
# A follow-up held back (quiet hours, a cap) longer than this is no longer worth sending.
FOLLOW_UP_FRESH = dt.timedelta(days=3)
# A booking confirmation is for the moment of booking, not a day later.
CONFIRMATION_FRESH = dt.timedelta(hours=24)


class RuleSettings(Protocol):
    """The fields of outreach/settings.OutreachSettings the rules read."""

    reminders_enabled: bool
    reminder_hours: list[int]
    booking_confirmation_enabled: bool
    no_show_enabled: bool
    no_show_after_minutes: int
    cancelled_enabled: bool
    cancelled_after_days: int
    no_next_session_enabled: bool
    no_next_session_after_days: int
    dropped_off_after_days: int
    dropped_off_auto_checkin: bool


@dataclass(frozen=True)
class SessionFact:
    id: int
    status: str  # AppointmentStatus value
    starts_at: dt.datetime
    modality: str
    created_at: dt.datetime
    status_changed_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        # Arithmetic on aware datetimes of one zone is wall-clock arithmetic in Python: in UTC,
        # "48 hours before" is 48 real hours, across a DST change too.
        for name in ("starts_at", "created_at", "status_changed_at"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, value.astimezone(dt.UTC))

    @property
    def changed_at(self) -> dt.datetime:
        return self.status_changed_at or self.created_at


@dataclass(frozen=True)
class ClientFacts:
    client_id: int
    sessions: Sequence[SessionFact]
    cadence_days: int | None = None
    discharged: bool = False
    do_not_contact: bool = False


@dataclass(frozen=True)
class PlannedJob:
    kind: Kind
    rule: str  # "reminder_48h", "no_show", ...
    event_key: str
    due_at: dt.datetime
    stale_at: dt.datetime
    appointment_id: int | None


@dataclass(frozen=True)
class DroppedOffFact:
    client_id: int
    last_session: SessionFact
    since: dt.datetime  # when the client counted as dropped off


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def reminder_rule(hours: int) -> str:
    return f"reminder_{hours}h"


def _upcoming(facts: ClientFacts, now: dt.datetime) -> list[SessionFact]:
    return [s for s in facts.sessions if s.status == BOOKED and s.starts_at > now]


def _rebooked_since(facts: ClientFacts, moment: dt.datetime, *, besides: int) -> bool:
    """A session (other than `besides`) was made after `moment` and still holds."""
    return any(
        s.id != besides and s.created_at >= moment and s.status not in CANCELLED and s.status != RESCHEDULED
        for s in facts.sessions
    )


def _booked_since(facts: ClientFacts, moment: dt.datetime, now: dt.datetime, *, besides: int) -> bool:
    """Something is booked ahead, or a session was made after `moment` (rebooked)."""
    return bool(_upcoming(facts, now)) or _rebooked_since(facts, moment, besides=besides)


def _reminders(facts: ClientFacts, settings: RuleSettings, now: dt.datetime) -> list[PlannedJob]:
    jobs: list[PlannedJob] = []
    hours = sorted(set(settings.reminder_hours), reverse=True)  # earliest reminder first
    for session in _upcoming(facts, now):
        dues = [session.starts_at - dt.timedelta(hours=h) for h in hours]  # absolute hours: DST-proof
        first_reminder = dues[0] if settings.reminders_enabled else session.starts_at
        if settings.booking_confirmation_enabled:
            # Superseded by the first reminder: one text carrying the time is enough.
            stale = min(session.starts_at, session.created_at + CONFIRMATION_FRESH, first_reminder)
            jobs.append(
                PlannedJob(
                    kind="booking_confirmation",
                    rule="booking_confirmation",
                    event_key=f"booking_confirmation:appt:{session.id}:{_stamp(session.starts_at)}",
                    due_at=session.created_at,
                    stale_at=stale,
                    appointment_id=session.id,
                )
            )
        if not settings.reminders_enabled:
            continue
        for index, (h, due) in enumerate(zip(hours, dues, strict=True)):
            # A reminder is stale once the session starts or the next (closer) one is due.
            stale = dues[index + 1] if index + 1 < len(dues) else session.starts_at
            rule = reminder_rule(h)
            jobs.append(
                PlannedJob(
                    kind="reminder",
                    rule=rule,
                    event_key=f"{rule}:appt:{session.id}:{_stamp(session.starts_at)}",
                    due_at=due,
                    stale_at=stale,
                    appointment_id=session.id,
                )
            )
    return jobs


def _latest(sessions: Sequence[SessionFact], statuses: frozenset[str]) -> SessionFact | None:
    matching = [s for s in sessions if s.status in statuses]
    return max(matching, key=lambda s: (s.starts_at, s.id)) if matching else None


def _follow_up(kind: Kind, session: SessionFact, due: dt.datetime) -> PlannedJob:
    return PlannedJob(
        kind=kind,
        rule=kind,
        event_key=f"{kind}:appt:{session.id}",
        due_at=due,
        stale_at=due + FOLLOW_UP_FRESH,
        appointment_id=session.id,
    )


def _no_show(facts: ClientFacts, settings: RuleSettings, now: dt.datetime) -> list[PlannedJob]:
    jobs = []
    for session in facts.sessions:
        if session.status != NO_SHOW:
            continue
        marked = max(session.starts_at, session.changed_at)  # a late mark counts from the mark
        # Only a booking made since the mark answers a missed session: a weekly client's next
        # session, booked long before, does not (the missed one still wants a new time).
        if not _rebooked_since(facts, marked, besides=session.id):
            jobs.append(_follow_up("no_show", session, marked + dt.timedelta(minutes=settings.no_show_after_minutes)))
    return jobs


def _cancelled(facts: ClientFacts, settings: RuleSettings, now: dt.datetime) -> list[PlannedJob]:
    latest = max((s for s in facts.sessions if s.status in CANCELLED), key=lambda s: s.changed_at, default=None)
    if latest is None or _booked_since(facts, latest.changed_at, now, besides=latest.id):
        return []
    due = latest.changed_at + dt.timedelta(days=settings.cancelled_after_days)
    return [_follow_up("cancelled_not_rebooked", latest, due)]


def _no_next_session(facts: ClientFacts, settings: RuleSettings, now: dt.datetime) -> list[PlannedJob]:
    if facts.cadence_days is None:
        return []  # nobody said this client should have a next session
    latest = _latest(facts.sessions, frozenset({COMPLETED, NO_SHOW, BOOKED, *CANCELLED}))
    if latest is None or latest.status != COMPLETED:
        return []  # the latest session was not a completed one: another rule speaks for it
    if _booked_since(facts, latest.starts_at, now, besides=latest.id):
        return []
    due = latest.starts_at + dt.timedelta(days=settings.no_next_session_after_days)
    return [_follow_up("no_next_session", latest, due)]


def dropped_off(facts: ClientFacts, settings: RuleSettings, now: dt.datetime) -> DroppedOffFact | None:
    """The client had no session for `dropped_off_after_days` and has nothing booked: they go
    on the worklist (never a discharged or do-not-contact client)."""
    if facts.discharged or facts.do_not_contact or _upcoming(facts, now):
        return None
    last = _latest(facts.sessions, frozenset({COMPLETED}))
    if last is None:
        return None  # never seen: a new client, not a dropped-off one
    since = last.starts_at + dt.timedelta(days=settings.dropped_off_after_days)
    return DroppedOffFact(facts.client_id, last, since) if since <= now else None


def _dropped_off_checkin(facts: ClientFacts, settings: RuleSettings, now: dt.datetime) -> list[PlannedJob]:
    if not settings.dropped_off_auto_checkin:
        return []
    gone = dropped_off(facts, settings, now)
    if gone is None:
        return []
    # A client gone twice as long as the threshold stays on the worklist for a person.
    stale = gone.since + dt.timedelta(days=settings.dropped_off_after_days)
    return [
        PlannedJob(
            kind="dropped_off_checkin",
            rule="dropped_off_checkin",
            event_key=f"dropped_off_checkin:last:{gone.last_session.id}",
            due_at=gone.since,
            stale_at=stale,
            appointment_id=gone.last_session.id,
        )
    ]


def jobs_for(facts: ClientFacts, settings: RuleSettings, now: dt.datetime) -> list[PlannedJob]:
    """Every job that should exist now (including ones already stale: the planner cancels those)."""
    if facts.discharged:
        return []  # a discharged client is never contacted
    jobs = _reminders(facts, settings, now)
    if settings.no_show_enabled:
        jobs += _no_show(facts, settings, now)
    if settings.cancelled_enabled:
        jobs += _cancelled(facts, settings, now)
    if settings.no_next_session_enabled:
        jobs += _no_next_session(facts, settings, now)
    jobs += _dropped_off_checkin(facts, settings, now)
    return sorted(jobs, key=lambda job: (job.due_at, job.event_key))


def why_gone(rule: str, appointment: SessionFact | None, settings: RuleSettings) -> str:
    """Why a planned job's event no longer holds (its reason when cancelled)."""
    enabled = {
        "booking_confirmation": settings.booking_confirmation_enabled,
        "no_show": settings.no_show_enabled,
        "cancelled_not_rebooked": settings.cancelled_enabled,
        "no_next_session": settings.no_next_session_enabled,
        "dropped_off_checkin": settings.dropped_off_auto_checkin,
    }
    if rule.startswith("reminder_"):
        on = settings.reminders_enabled and rule in {reminder_rule(h) for h in settings.reminder_hours}
    else:
        on = enabled.get(rule, True)
    if not on:
        return "rule_off"
    if appointment is not None and appointment.status == RESCHEDULED:
        return "rescheduled"
    if rule in ("no_show", "cancelled_not_rebooked", "no_next_session", "dropped_off_checkin"):
        return "rebooked"
    return "stale"
