"""The outreach rules with an explicit clock: which jobs exist, when they are due, when they go stale."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.outreach.rules import ClientFacts, PlannedJob, SessionFact, dropped_off, jobs_for, why_gone
from assistant.outreach.settings import OutreachSettings

NY = ZoneInfo("America/New_York")
UTC = dt.UTC


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=NY)


def session(
    id_: int,
    starts_at: dt.datetime,
    status: str = "booked",
    *,
    created_at: dt.datetime | None = None,
    changed_at: dt.datetime | None = None,
) -> SessionFact:
    return SessionFact(
        id=id_,
        status=status,
        starts_at=starts_at,
        modality="telehealth",
        created_at=created_at or starts_at - dt.timedelta(days=20),
        status_changed_at=changed_at,
    )


def facts(*sessions: SessionFact, cadence: int | None = None, discharged: bool = False) -> ClientFacts:
    return ClientFacts(client_id=1, sessions=sessions, cadence_days=cadence, discharged=discharged)


def by_rule(jobs: list[PlannedJob]) -> dict[str, PlannedJob]:
    return {job.rule: job for job in jobs}


def test_reminders_48h_and_24h_are_real_hours_across_spring_forward() -> None:
    # DST starts Sun Mar 8 2026 02:00 in New York: Mon 10:00 EDT is 48 real hours after Sat 09:00 EST.
    start = at(2026, 3, 9, 10)
    jobs = by_rule(jobs_for(facts(session(1, start)), OutreachSettings(), at(2026, 3, 1)))
    assert jobs["reminder_48h"].due_at.astimezone(NY) == at(2026, 3, 7, 9)
    assert (start - jobs["reminder_48h"].due_at) == dt.timedelta(hours=48)
    assert jobs["reminder_24h"].due_at.astimezone(NY) == at(2026, 3, 8, 10)  # after the change
    assert jobs["reminder_48h"].stale_at == jobs["reminder_24h"].due_at
    assert jobs["reminder_24h"].stale_at == start


def test_reminders_across_fall_back() -> None:
    # DST ends Sun Nov 1 2026 02:00: Mon 09:00 EST minus 48 real hours is Sat 10:00 EDT.
    start = at(2026, 11, 2, 9)
    jobs = by_rule(jobs_for(facts(session(1, start)), OutreachSettings(), at(2026, 10, 20)))
    assert jobs["reminder_48h"].due_at.astimezone(NY) == at(2026, 10, 31, 10)
    assert (start - jobs["reminder_48h"].due_at) == dt.timedelta(hours=48)


def test_event_key_includes_the_start_so_a_moved_session_is_a_new_event() -> None:
    before = by_rule(jobs_for(facts(session(1, at(2026, 12, 3, 15))), OutreachSettings(), at(2026, 11, 20)))
    moved = by_rule(jobs_for(facts(session(1, at(2026, 12, 4, 15))), OutreachSettings(), at(2026, 11, 20)))
    assert before["reminder_48h"].event_key == "reminder_48h:appt:1:2026-12-03T20:00Z"
    assert moved["reminder_48h"].event_key != before["reminder_48h"].event_key


def test_one_configured_reminder_and_reminders_off() -> None:
    start = at(2026, 12, 3, 15)
    one = jobs_for(facts(session(1, start)), OutreachSettings(reminder_hours=[72]), at(2026, 11, 20))
    assert [job.rule for job in one if job.kind == "reminder"] == ["reminder_72h"]
    off = jobs_for(facts(session(1, start)), OutreachSettings(reminders_enabled=False), at(2026, 11, 20))
    assert [job.kind for job in off] == ["booking_confirmation"]


def test_booking_confirmation_for_the_new_appointment_superseded_by_the_first_reminder() -> None:
    booked_at = at(2026, 11, 30, 10)
    start = at(2026, 12, 3, 15)
    jobs = by_rule(jobs_for(facts(session(2, start, created_at=booked_at)), OutreachSettings(), booked_at))
    confirmation = jobs["booking_confirmation"]
    assert confirmation.due_at == booked_at and confirmation.appointment_id == 2
    assert confirmation.stale_at == booked_at + dt.timedelta(hours=24)
    late = by_rule(jobs_for(facts(session(3, start, created_at=at(2026, 12, 2, 9))), OutreachSettings(), booked_at))
    assert late["booking_confirmation"].stale_at == start - dt.timedelta(hours=48)


def test_no_reminders_for_past_or_unbooked_sessions() -> None:
    now = at(2026, 12, 3, 16)
    assert jobs_for(facts(session(1, at(2026, 12, 3, 15))), OutreachSettings(), now) == []
    cancelled = jobs_for(facts(session(1, at(2026, 12, 9, 15), "cancelled")), OutreachSettings(), now)
    assert [job.kind for job in cancelled] == ["cancelled_not_rebooked"]


def test_no_show_follow_up_an_hour_after_the_start_or_after_a_late_mark() -> None:
    start = at(2026, 12, 3, 15)
    jobs = by_rule(jobs_for(facts(session(1, start, "no_show", changed_at=start)), OutreachSettings(), start))
    assert jobs["no_show"].due_at == start + dt.timedelta(hours=1)
    assert jobs["no_show"].event_key == "no_show:appt:1"
    marked = at(2026, 12, 3, 18)
    late = by_rule(jobs_for(facts(session(1, start, "no_show", changed_at=marked)), OutreachSettings(), marked))
    assert late["no_show"].due_at == marked + dt.timedelta(hours=1)


def test_no_show_follow_up_not_when_rebooked_or_switched_off() -> None:
    start = at(2026, 12, 3, 15)
    missed = session(1, start, "no_show", changed_at=start)
    rebooked = session(2, at(2026, 12, 10, 15), created_at=start + dt.timedelta(minutes=30))
    assert "no_show" not in by_rule(jobs_for(facts(missed, rebooked), OutreachSettings(), start))
    assert jobs_for(facts(missed), OutreachSettings(no_show_enabled=False), start) == []


def test_cancelled_not_rebooked_after_n_days_with_nothing_booked_since() -> None:
    cancelled_at = at(2026, 12, 1, 10)
    cancelled = session(1, at(2026, 12, 3, 15), "cancelled", changed_at=cancelled_at)
    jobs = by_rule(jobs_for(facts(cancelled), OutreachSettings(cancelled_after_days=2), cancelled_at))
    assert jobs["cancelled_not_rebooked"].due_at == cancelled_at + dt.timedelta(days=2)
    rebooked = session(2, at(2026, 12, 20, 15), created_at=at(2026, 12, 2, 9))
    quiet = OutreachSettings(reminders_enabled=False, booking_confirmation_enabled=False)
    assert jobs_for(facts(cancelled, rebooked), quiet, cancelled_at) == []


def test_no_next_session_only_with_a_cadence_and_nothing_booked() -> None:
    held = at(2026, 12, 3, 15)
    done = session(1, held, "completed", changed_at=held + dt.timedelta(hours=1))
    assert jobs_for(facts(done), OutreachSettings(), held) == []  # no cadence: nobody expects a next one
    jobs = by_rule(jobs_for(facts(done, cadence=7), OutreachSettings(no_next_session_after_days=3), held))
    assert jobs["no_next_session"].due_at == held + dt.timedelta(days=3)
    following = session(2, at(2026, 12, 10, 15), created_at=held - dt.timedelta(days=30))
    assert "no_next_session" not in by_rule(jobs_for(facts(done, following, cadence=7), OutreachSettings(), held))


def test_dropped_off_is_a_worklist_entry_and_a_check_in_only_when_turned_on() -> None:
    last = session(1, at(2026, 10, 1, 15), "completed")
    now = at(2026, 11, 5)
    gone = dropped_off(facts(last), OutreachSettings(), now)
    assert gone is not None and gone.last_session.id == 1
    assert gone.since == last.starts_at + dt.timedelta(days=30)
    assert "dropped_off_checkin" not in by_rule(jobs_for(facts(last), OutreachSettings(), now))
    auto = by_rule(jobs_for(facts(last), OutreachSettings(dropped_off_auto_checkin=True), now))
    assert auto["dropped_off_checkin"].due_at == gone.since
    assert dropped_off(facts(last), OutreachSettings(), at(2026, 10, 20)) is None  # not 30 days yet
    booked = session(2, at(2026, 11, 20, 15))
    assert dropped_off(facts(last, booked), OutreachSettings(), now) is None


def test_discharged_and_do_not_contact_clients_are_never_planned_or_listed() -> None:
    last = session(1, at(2026, 10, 1, 15), "completed")
    upcoming = session(2, at(2026, 12, 20, 15))
    now = at(2026, 12, 1)
    assert jobs_for(facts(last, upcoming, discharged=True), OutreachSettings(), now) == []
    assert dropped_off(facts(last, discharged=True), OutreachSettings(), at(2026, 11, 5)) is None
    assert dropped_off(ClientFacts(1, (last,), do_not_contact=True), OutreachSettings(), at(2026, 11, 5)) is None


def test_why_gone() -> None:
    settings = OutreachSettings()
    moved = session(1, at(2026, 12, 3, 15), "rescheduled")
    assert why_gone("reminder_48h", moved, settings) == "rescheduled"
    assert why_gone("reminder_72h", moved, settings) == "rule_off"
    assert why_gone("no_show", None, OutreachSettings(no_show_enabled=False)) == "rule_off"
    assert why_gone("cancelled_not_rebooked", None, settings) == "rebooked"
    assert why_gone("reminder_24h", session(1, at(2026, 12, 3), "cancelled"), settings) == "stale"
