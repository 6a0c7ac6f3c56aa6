"""Hand-offs by reason, and the time to a person's first reply in business hours and wall-clock."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.services.insights.handoffs import first_reply, handoffs_by_reason
from assistant.store.models import Author, Channel, ConversationFeedback, HandoffReason
from tests.insights.history import History, at

NOW = at("2026-11-30", "12:00")


def figures(panel) -> dict[str, float | None]:
    return {figure.key: figure.value for figure in panel.figures}


def hand_off(history: History, opened: dt.datetime, reply_after: dt.timedelta | None, **kwargs) -> None:
    conversation = history.conversation(opened - dt.timedelta(minutes=1), client=history.client(), **kwargs)
    history.handoff(conversation, opened)
    if reply_after is not None:
        history.message(conversation, opened + reply_after, Author.REP)


def test_a_friday_hand_off_answered_on_monday_waited_one_business_hour(history: History) -> None:
    # Fri 16:30 -> Mon 09:30: 30 minutes before closing, 30 after opening; 65 hours on the clock.
    hand_off(history, at("2026-11-06", "16:30"), at("2026-11-09", "09:30") - at("2026-11-06", "16:30"))
    panel = first_reply(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel)["median_business"] == 60.0
    assert figures(panel)["median_wall"] == 65 * 60.0
    assert figures(panel)["within_window"] == 100.0  # due Monday 09:30: just in time
    assert panel.headline.value == 100.0


def test_one_minute_past_the_promise_is_late(history: History) -> None:
    hand_off(history, at("2026-11-06", "16:30"), at("2026-11-09", "09:31") - at("2026-11-06", "16:30"))
    panel = first_reply(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel)["median_business"] == 61.0
    assert figures(panel)["within_window"] == 0.0


def test_a_weekend_hand_off_counts_from_monday_opening(history: History) -> None:
    hand_off(history, at("2026-11-07", "11:00"), at("2026-11-09", "09:10") - at("2026-11-07", "11:00"))
    panel = first_reply(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel)["median_business"] == 10.0


def test_median_and_p90_interpolate_like_percentile_cont(history: History) -> None:
    for minutes in (10, 20, 30, 40, 100):
        hand_off(history, at("2026-11-03", "10:00"), dt.timedelta(minutes=minutes))
    panel = first_reply(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel)["median_business"] == 30.0
    assert figures(panel)["p90_business"] == 76.0  # 40 + 0.6 * (100 - 40)
    assert figures(panel)["p90_wall"] == 76.0  # all inside Tuesday's hours: the same
    assert figures(panel)["within_window"] == 80.0  # 100 minutes broke the 60-minute promise
    median = next(s for s in panel.series if s.key == "median_business")
    assert [p.y for p in median.points if p.x == "2026-11-03"] == [30.0]


def test_unanswered_hand_offs_count_against_the_promise_only_once_late(history: History) -> None:
    hand_off(history, at("2026-11-03", "10:00"), dt.timedelta(minutes=15))
    hand_off(history, at("2026-11-03", "11:00"), None)
    early = first_reply(
        history.session, history.practice, history.window("2026-11-03", "2026-11-03"), at("2026-11-03", "11:30")
    )
    assert figures(early)["within_window"] == 100.0  # the second is not due yet
    assert figures(early)["unanswered"] == 1
    late = first_reply(history.session, history.practice, history.window("2026-11-03", "2026-11-03"), NOW)
    assert figures(late)["within_window"] == 50.0


def test_a_rep_call_back_is_the_first_human_reply_on_the_phone(history: History) -> None:
    opened = at("2026-11-03", "10:00")
    call = history.call(opened - dt.timedelta(minutes=3), from_number="+15558800777", twilio_status="completed")
    history.handoff(call.conversation, opened, HandoffReason.CALLBACK)
    call.called_back_at = opened + dt.timedelta(minutes=25)
    history.session.flush()
    panel = first_reply(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel)["median_business"] == 25.0


def test_no_hand_offs_is_not_yet_used_not_an_error(history: History) -> None:
    panel = first_reply(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert panel.status == "not_yet_used"
    assert panel.headline.value is None
    assert all(point.y is None for series in panel.series for point in series.points)


@pytest.mark.parametrize(
    ("reason", "group"),
    [
        (HandoffReason.CRISIS, "crisis"),
        (HandoffReason.REPEATED_FAILURE, "low_confidence"),
        (HandoffReason.LOW_CONFIDENCE, "low_confidence"),
        (HandoffReason.CALLBACK, "call_back"),
        (HandoffReason.SMS_OPT_OUT, "other"),
    ],
)
def test_hand_offs_are_grouped_by_reason(history: History, reason: HandoffReason, group: str) -> None:
    conversation = history.conversation(at("2026-11-03", "10:00"), client=history.client(), channel=Channel.SMS)
    history.handoff(conversation, at("2026-11-03", "10:01"), reason)
    panel = handoffs_by_reason(history.session, history.practice, history.window("2026-11-02", "2026-11-08"))
    totals = {series.key: sum(p.y or 0 for p in series.points) for series in panel.series}
    assert totals[group] == 1
    assert sum(totals.values()) == 1
    assert panel.headline.value == 1
    web_only = handoffs_by_reason(history.session, history.practice, history.window("2026-11-02", "2026-11-08", "web"))
    assert web_only.status == "not_yet_used"


def test_did_we_help_answers_of_the_period_are_counted(history: History) -> None:
    conversation = history.conversation(at("2026-11-03", "10:00"), client=history.client())
    for n, (rating, answered) in enumerate(
        [
            ("up", at("2026-11-03", "11:00")),
            ("up", at("2026-11-04", "09:00")),
            ("down", at("2026-11-05", "12:00")),
            ("up", at("2026-11-10", "09:00")),
            (None, None),
        ]  # next week's answer, and one never answered
    ):
        ticket = history.handoff(conversation, at("2026-11-03", "10:01") + dt.timedelta(minutes=n))
        history.session.add(
            ConversationFeedback(
                practice_id=history.practice.id,
                conversation_id=conversation.id,
                ticket_id=ticket.id,
                asked_at=ticket.created_at,
                rating=rating,
                answered_at=answered,
            )
        )
    history.session.flush()
    panel = first_reply(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert (figures(panel)["helped_yes"], figures(panel)["helped_no"]) == (2, 1)
