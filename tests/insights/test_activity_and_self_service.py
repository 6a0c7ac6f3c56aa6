"""Conversations per day, the weekday x hour heatmap, and self-service counts."""

from __future__ import annotations

import datetime as dt

from assistant.services import audit
from assistant.services.insights.activity import conversations_per_day, message_heatmap
from assistant.services.insights.self_service import self_service
from assistant.services.video_links import record_video_link_sent
from assistant.store.models import AccessLink, AppointmentStatus, Author, Channel, LinkPurpose
from tests.insights.history import History, at


def test_conversations_are_counted_per_local_day_and_channel(history: History) -> None:
    history.conversation(at("2026-11-02", "09:00"), channel=Channel.WEB)
    history.conversation(at("2026-11-02", "23:30"), channel=Channel.SMS, address="+15558800001")  # 04:30 UTC next day
    history.conversation(at("2026-11-03", "00:30"), channel=Channel.SMS, address="+15558800002")
    panel = conversations_per_day(history.session, history.practice, history.window("2026-11-02", "2026-11-03"))
    by_channel = {s.key: [(p.x, p.y) for p in s.points] for s in panel.series}
    assert by_channel == {
        "web": [("2026-11-02", 1.0), ("2026-11-03", 0.0)],
        "sms": [("2026-11-02", 1.0), ("2026-11-03", 1.0)],
        "voice": [("2026-11-02", 0.0), ("2026-11-03", 0.0)],
    }
    assert panel.table.columns == ["Day", "Web chat", "SMS", "Voice"]
    assert panel.table.rows == [["2026-11-02", 1.0, 1.0, 0.0], ["2026-11-03", 0.0, 1.0, 0.0]]
    assert panel.headline.value == 3


def test_the_channel_filter_keeps_one_series(history: History) -> None:
    history.conversation(at("2026-11-02", "09:00"), channel=Channel.WEB)
    panel = conversations_per_day(history.session, history.practice, history.window("2026-11-02", "2026-11-02", "sms"))
    assert [s.key for s in panel.series] == ["sms"]
    assert panel.status == "not_yet_used"


def test_long_periods_are_bucketed_by_monday_weeks(history: History) -> None:
    history.conversation(at("2026-11-04", "09:00"))
    history.conversation(at("2026-11-08", "09:00"))  # Sunday: the week of Monday 2 November
    history.conversation(at("2026-11-09", "09:00"))
    panel = conversations_per_day(history.session, history.practice, history.window("2026-10-01", "2026-11-15"))
    web = dict((p.x, p.y) for p in panel.series[0].points)
    assert panel.x_label == "Week of"
    assert web["2026-11-02"] == 2 and web["2026-11-09"] == 1
    assert list(web)[0] == "2026-09-28"  # the week 1 October falls in


def test_the_heatmap_counts_client_messages_by_local_weekday_and_hour(history: History) -> None:
    conversation = history.conversation(at("2026-11-03", "14:10"))  # Tuesday 14:00, one client message
    history.message(conversation, at("2026-11-03", "14:50"), Author.CLIENT)
    history.message(conversation, at("2026-11-03", "14:51"), Author.REP)  # not a client's
    panel = message_heatmap(history.session, history.practice, history.window("2026-11-02", "2026-11-08"))
    tuesday = next(s for s in panel.series if s.name == "Tue")
    assert [p.y for p in tuesday.points if p.x == "14"] == [2.0]
    assert sum(p.y or 0 for s in panel.series for p in s.points) == 2
    assert len(panel.table.rows) == 24 and panel.table.columns[0] == "Hour"
    assert "busiest Tue 14:00" in panel.headline.label


def test_self_service_counts_what_clients_did_not_what_reps_did(history: History) -> None:
    client = history.client()
    when = at("2026-11-03", "10:00")

    def event(action: str, actor: str = f"client:{client.id}", **details: object) -> None:
        audit.record(
            history.session,
            actor=actor,
            action=action,
            subject_type="appointment",
            subject_id=1,
            details=details,
            at=when,
        )

    event("appointment_booked")
    event("appointment_booked")  # the new time of the reschedule below
    event("appointment_rescheduled")
    event("appointment_cancelled", status="cancelled")
    event("appointment_cancelled", status="late_cancelled")
    event("card_updated")
    session_by_video = history.appointment(client, when + dt.timedelta(days=2), AppointmentStatus.BOOKED)
    record_video_link_sent(history.session, client, session_by_video, channel=Channel.SMS, now=when)
    event("appointment_booked", actor="rep:1")  # a rep booked: not self-service
    other = History.start(history.session).client()
    event("appointment_booked", actor=f"client:{other.id}")  # another practice's client
    history.session.add(
        AccessLink(
            client_id=client.id,
            purpose=LinkPurpose.PORTAL_SIGN_IN,
            token_hash="a" * 64,
            expires_at=when + dt.timedelta(hours=1),
            created_at=when,
        )
    )
    history.session.flush()
    panel = self_service(history.session, history.practice, history.window("2026-11-02", "2026-11-08"))
    totals = {figure.key: figure.value for figure in panel.figures}
    assert totals == {
        "bookings": 1,
        "reschedules": 1,
        "cancelled_on_time": 1,
        "cancelled_late": 1,
        "video_links": 1,
        "portal_links": 1,
        "card_updates": 1,
    }
    assert panel.headline.value == 7


def test_local_days_and_hours_hold_across_the_end_of_daylight_saving(history: History) -> None:
    history.conversation(at("2026-10-31", "23:30"))  # EDT: 03:30 UTC on 1 November
    history.conversation(at("2026-11-01", "23:30"))  # EST: 04:30 UTC on 2 November
    window = history.window("2026-10-31", "2026-11-02")
    panel = conversations_per_day(history.session, history.practice, window)
    web = [(p.x, p.y) for p in panel.series[0].points]
    assert web == [("2026-10-31", 1.0), ("2026-11-01", 1.0), ("2026-11-02", 0.0)]
    heatmap = message_heatmap(history.session, history.practice, window)
    late = {s.name: next(p.y for p in s.points if p.x == "23") for s in heatmap.series}
    assert (late["Sat"], late["Sun"]) == (1.0, 1.0)
