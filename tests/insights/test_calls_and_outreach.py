"""Calls, reminders, follow-ups, no-shows by month, rebooking, the dropped-off worklist, retention."""

from __future__ import annotations

import datetime as dt

from assistant.services.insights.calls import calls
from assistant.services.insights.outreach_texts import follow_ups, reminders
from assistant.services.insights.retention import retention, retention_at
from assistant.services.insights.sessions import dropped_off, no_shows, rebooking, worklist_size
from assistant.services.outreach import dropped_off_clients
from assistant.store.models import (
    AppointmentStatus,
    Author,
    Channel,
    MessageStatus,
    OutreachContact,
    OutreachKind,
)
from tests.insights.history import History, at

NOW = at("2026-11-30", "12:00")
WEEK = ("2026-11-02", "2026-11-08")


def figures(panel) -> dict[str, float | None]:
    return {figure.key: figure.value for figure in panel.figures}


def test_calls_answered_resolved_transferred_voicemail_and_call_back_time(history: History) -> None:
    start = at("2026-11-03", "10:00")
    history.call(start, from_number="+15558801001", twilio_status="completed", bot_helped=True)
    history.call(
        start, from_number="+15558801002", twilio_status="completed", dial_target="front_desk", dial_status="completed"
    )
    history.call(
        start,
        from_number="+15558801003",
        twilio_status="completed",
        recording_sid="RE1",
        recording_url="https://api.twilio.example/RE1",
        called_back_at=start + dt.timedelta(minutes=33),  # the call ended at 10:03: 30 minutes
    )
    history.call(
        start,
        from_number="+15558801004",
        twilio_status="no-answer",
        called_back_at=start + dt.timedelta(minutes=53),
        missed_text_sent_at=start + dt.timedelta(minutes=4),
    )
    texted_back = history.call(start, from_number="+15558801005", twilio_status="busy", missed_text_sent_at=start)
    sms = history.conversation(start + dt.timedelta(hours=2), channel=Channel.SMS, address=texted_back.from_number)
    assert sms.address == "+15558801005"
    panel = calls(history.session, history.practice, history.window(*WEEK))
    assert {k: v for k, v in figures(panel).items()} == {
        "calls": 5,
        "answered": 3,
        "bot_resolved": 1,
        "transferred": 1,
        "voicemails": 1,
        "callback_median": 40.0,  # 30 and 50 minutes
        "text_backs_sent": 2,
        "text_backs_answered": 50.0,
    }
    assert panel.headline.value == 60.0
    assert calls(history.session, history.practice, history.window(*WEEK, "sms")).status == "not_yet_used"


def test_no_calls_is_not_yet_used(history: History) -> None:
    panel = calls(history.session, history.practice, history.window(*WEEK))
    assert panel.status == "not_yet_used" and figures(panel)["callback_median"] is None


def test_reminders_sent_delivered_confirmed(history: History) -> None:
    client = history.client()
    thread = history.conversation(at("2026-11-01", "09:00"), client=client, channel=Channel.SMS, address="+15558802001")
    for day, delivered, confirmed in (
        ("2026-11-05", True, True),
        ("2026-11-06", True, False),
        ("2026-11-07", False, False),
    ):
        starts = at(day, "15:00")
        session_ = history.appointment(
            client, starts, AppointmentStatus.BOOKED, confirmed=starts - dt.timedelta(hours=30) if confirmed else None
        )
        text = history.message(thread, starts - dt.timedelta(hours=48), Author.SYSTEM)
        text.status = MessageStatus.DELIVERED if delivered else MessageStatus.UNDELIVERED
        history.outreach(
            client, OutreachKind.REMINDER, starts - dt.timedelta(hours=48), appointment=session_, message=text
        )
    history.session.flush()
    panel = reminders(history.session, history.practice, history.window(*WEEK))
    assert figures(panel) == {"sent": 3, "delivered": 2, "confirmed": 1, "delivered_share": 66.7}
    assert panel.headline.value == 33.3


def test_follow_ups_that_led_to_a_booking_within_7_days(history: History) -> None:
    booked, not_yet = history.client(), history.client()
    sent = at("2026-11-03", "10:00")
    history.outreach(booked, OutreachKind.NO_SHOW, sent)
    history.appointment(
        booked, sent + dt.timedelta(days=10), AppointmentStatus.BOOKED, created=sent + dt.timedelta(days=3)
    )
    history.outreach(not_yet, OutreachKind.CANCELLED_NOT_REBOOKED, sent)
    history.appointment(
        not_yet, sent + dt.timedelta(days=20), AppointmentStatus.BOOKED, created=sent + dt.timedelta(days=8)
    )
    history.outreach(not_yet, OutreachKind.REMINDER, sent)  # a reminder is not a follow-up
    panel = follow_ups(history.session, history.practice, history.window(*WEEK))
    assert figures(panel) == {"sent": 2, "booked": 1}
    assert panel.headline.value == 50.0


def test_no_show_rate_by_month_before_and_after_reminders(history: History) -> None:
    client = history.client()
    for day in ("2026-10-05", "2026-10-12", "2026-10-19"):
        history.appointment(client, at(day, "15:00"))
    history.appointment(client, at("2026-10-26", "15:00"), AppointmentStatus.NO_SHOW)  # October: 1 of 4
    november = [
        history.appointment(client, at(day, "15:00"))
        for day in ("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23")
    ]
    history.appointment(client, at("2026-11-24", "15:00"), AppointmentStatus.NO_SHOW)  # November: 1 of 5
    history.appointment(client, at("2026-11-25", "15:00"), AppointmentStatus.CANCELLED)  # not due: not counted
    history.outreach(client, OutreachKind.REMINDER, at("2026-11-01", "10:00"), appointment=november[0])
    panel = no_shows(history.session, history.practice, history.window("2026-10-01", "2026-11-30"))
    assert panel.table.columns == ["Month", "No reminders that month (%)", "Reminders on (%)"]
    assert panel.table.rows == [["2026-10", 25.0, None], ["2026-11", None, 20.0]]
    assert panel.headline.value == round(100 * 2 / 9, 1)


def test_cancellations_rebooked_within_7_days(history: History) -> None:
    quick, slow, recent = history.client(), history.client(), history.client()
    cancelled_at = at("2026-11-03", "10:00")
    for client in (quick, slow):
        history.appointment(client, at("2026-11-05", "15:00"), AppointmentStatus.CANCELLED, changed=cancelled_at)
    history.appointment(
        quick, at("2026-11-20", "15:00"), AppointmentStatus.BOOKED, created=cancelled_at + dt.timedelta(days=6)
    )
    history.appointment(
        slow, at("2026-11-25", "15:00"), AppointmentStatus.BOOKED, created=cancelled_at + dt.timedelta(days=8)
    )
    history.appointment(
        recent, at("2026-11-06", "15:00"), AppointmentStatus.LATE_CANCELLED, changed=at("2026-11-06", "09:00")
    )
    panel = rebooking(history.session, history.practice, history.window(*WEEK), now=at("2026-11-12", "12:00"))
    # The late cancellation is 6 days old and not rebooked yet: not judged.
    assert figures(panel) == {"cancellations": 3, "rebooked": 1}
    assert panel.headline.value == 50.0


def test_the_dropped_off_worklist_and_who_was_reached(history: History) -> None:
    gone, booked, seen_lately, discharged = (history.client() for _ in range(4))
    end = at("2026-11-08", "23:00")
    for client in (gone, booked, discharged):
        history.appointment(client, end - dt.timedelta(days=40))
    history.appointment(
        booked, end + dt.timedelta(days=3), AppointmentStatus.BOOKED, created=end - dt.timedelta(days=10)
    )
    history.appointment(seen_lately, end - dt.timedelta(days=10))
    discharged.discharged_at = end - dt.timedelta(days=20)
    history.session.add(
        OutreachContact(
            practice_id=history.practice.id, client_id=gone.id, kind="reached_out", at=at("2026-11-04", "10:00")
        )
    )
    history.session.flush()
    assert worklist_size(history.session, history.practice, end) == 1
    panel = dropped_off(history.session, history.practice, history.window(*WEEK))
    assert panel.headline.value == 1
    reached = next(s for s in panel.series if s.key == "reached_out")
    assert [p.y for p in reached.points if p.x == "2026-11-04"] == [1.0]


def test_retention_is_the_share_of_recent_clients_with_a_next_session(history: History) -> None:
    returning, lapsing, old = history.client(), history.client(), history.client()
    moment = at("2026-11-08", "12:00")
    history.appointment(returning, moment - dt.timedelta(days=5))
    history.appointment(
        returning, moment + dt.timedelta(days=2), AppointmentStatus.BOOKED, created=moment - dt.timedelta(days=5)
    )
    history.appointment(lapsing, moment - dt.timedelta(days=12))
    # Booked then cancelled before the moment: no longer a next session.
    history.appointment(
        lapsing,
        moment + dt.timedelta(days=3),
        AppointmentStatus.CANCELLED,
        created=moment - dt.timedelta(days=12),
        changed=moment - dt.timedelta(days=1),
    )
    history.appointment(old, moment - dt.timedelta(days=45))  # not seen in the last 30 days
    assert retention_at(history.session, history.practice, moment) == (2, 1)
    panel = retention(history.session, history.practice, history.window("2026-11-02", "2026-11-08"))
    assert panel.headline.value == 50.0
    assert len(panel.series[0].points) <= 8 and panel.series[0].points[-1].x == "2026-11-08"


def test_the_worklist_size_is_the_outreach_rule_counted_in_sql(history: History) -> None:
    """worklist_size restates services/outreach.dropped_off_clients (the rule, in Python) as one
    SQL count; on every branch of the rule the two must agree, client for client."""
    now = at("2026-11-08", "23:00")
    gone = history.client()
    history.appointment(gone, now - dt.timedelta(days=45))
    booked = history.client()
    history.appointment(booked, now - dt.timedelta(days=45))
    history.appointment(
        booked, now + dt.timedelta(days=3), AppointmentStatus.BOOKED, created=now - dt.timedelta(days=9)
    )
    booking_cancelled = history.client()
    history.appointment(booking_cancelled, now - dt.timedelta(days=45))
    history.appointment(
        booking_cancelled,
        now + dt.timedelta(days=3),
        AppointmentStatus.CANCELLED,
        created=now - dt.timedelta(days=9),
        changed=now - dt.timedelta(days=2),
    )
    no_show_since = history.client()  # a no-show is not a session seen: still gone
    history.appointment(no_show_since, now - dt.timedelta(days=45))
    history.appointment(no_show_since, now - dt.timedelta(days=5), AppointmentStatus.NO_SHOW)
    seen_lately = history.client()
    history.appointment(seen_lately, now - dt.timedelta(days=45))
    history.appointment(seen_lately, now - dt.timedelta(days=3))
    do_not_contact = history.client()
    history.appointment(do_not_contact, now - dt.timedelta(days=45))
    do_not_contact.do_not_contact = True
    discharged = history.client()
    history.appointment(discharged, now - dt.timedelta(days=45))
    discharged.discharged_at = now - dt.timedelta(days=20)
    history.client()  # never seen: a new client, not a dropped-off one
    history.session.flush()
    by_rule = {entry.client.id for entry in dropped_off_clients(history.session, history.practice, now=now)}
    assert by_rule == {gone.id, booking_cancelled.id, no_show_since.id}
    assert worklist_size(history.session, history.practice, now) == len(by_rule)
