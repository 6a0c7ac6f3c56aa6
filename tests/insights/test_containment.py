"""Containment on hand-built histories: the hand-off rule and the 48-hour repeat-contact rule."""

from __future__ import annotations

import datetime as dt

from assistant.services.insights.containment import containment
from assistant.store.models import Author, Channel, ConversationState, HandoffReason
from tests.insights.history import History, at

NOW = at("2026-11-30", "12:00")  # long after the week: every conversation can be judged


def figures(panel) -> dict[str, float | None]:
    return {figure.key: figure.value for figure in panel.figures}


def test_a_resolved_conversation_with_no_return_is_contained(history: History) -> None:
    history.conversation(at("2026-11-02", "10:00"), client=history.client())
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert panel.status == "ok"
    assert panel.headline.value == 100.0
    assert figures(panel)["contained"] == 1


def test_a_hand_off_after_a_bot_resolution_counts_as_a_hand_off(history: History) -> None:
    conversation = history.conversation(
        at("2026-11-02", "10:00"), client=history.client(), state=ConversationState.RESOLVED
    )
    history.handoff(conversation, at("2026-11-02", "10:20"), HandoffReason.BILLING)
    history.conversation(at("2026-11-03", "10:00"), client=history.client())  # contained
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel) == {
        "started": 2,
        "contained": 1,
        "handed_off": 1,
        "repeat_contact": 0,
        "too_recent": 0,
    }
    assert panel.headline.value == 50.0


def test_a_new_contact_47_hours_later_is_not_contained_but_49_hours_later_is(history: History) -> None:
    soon, late = history.client(), history.client()
    first = history.conversation(at("2026-11-02", "10:00"), client=soon, last_activity=at("2026-11-02", "10:05"))
    history.conversation(first.last_activity_at + dt.timedelta(hours=47), client=soon, channel=Channel.SMS)
    second = history.conversation(at("2026-11-02", "11:00"), client=late, last_activity=at("2026-11-02", "11:05"))
    history.conversation(second.last_activity_at + dt.timedelta(hours=49), client=late)
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-02"), NOW)
    # Only the two Monday conversations are in the period: one came back in 47 h, one in 49 h.
    assert figures(panel)["started"] == 2
    assert figures(panel)["repeat_contact"] == 1
    assert figures(panel)["contained"] == 1
    assert panel.headline.value == 50.0


def test_an_unidentified_texter_coming_back_is_matched_by_number(history: History) -> None:
    number = "+15558800999"
    first = history.conversation(at("2026-11-02", "10:00"), channel=Channel.SMS, address=number)
    history.conversation(first.last_activity_at + dt.timedelta(hours=3), channel=Channel.SMS, address=number)
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-02"), NOW)
    # Both texts are on Monday: the first came back (3 h later), the second did not.
    assert figures(panel)["started"] == 2
    assert figures(panel)["repeat_contact"] == 1
    assert figures(panel)["contained"] == 1


def test_conversations_the_client_never_wrote_in_are_not_bot_started(history: History) -> None:
    history.conversation(at("2026-11-02", "10:00"), client=history.client(), client_wrote=False)
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert panel.status == "not_yet_used"
    assert panel.headline.value is None


def test_a_conversation_under_48_hours_old_waits_to_be_judged(history: History) -> None:
    history.conversation(at("2026-11-02", "10:00"), client=history.client(), last_activity=at("2026-11-02", "10:05"))
    too_soon = at("2026-11-03", "10:00")
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-02"), too_soon)
    assert figures(panel)["too_recent"] == 1
    assert panel.headline.value is None  # nothing judged yet
    later = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-02"), NOW)
    assert later.headline.value == 100.0


def test_the_channel_filter_keeps_one_channel_but_a_return_on_another_still_counts(history: History) -> None:
    client = history.client()
    web = history.conversation(at("2026-11-02", "10:00"), client=client)
    history.conversation(web.last_activity_at + dt.timedelta(hours=2), client=client, channel=Channel.SMS)
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-02", "web"), NOW)
    assert figures(panel)["started"] == 1
    assert figures(panel)["repeat_contact"] == 1


def test_another_practices_conversations_are_not_counted(history: History) -> None:
    other = History.start(history.session)
    other.conversation(at("2026-11-02", "10:00"), client=other.client())
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert panel.status == "not_yet_used"


def test_the_series_is_the_daily_rate_and_the_table_repeats_it(history: History) -> None:
    history.conversation(at("2026-11-02", "10:00"), client=history.client())
    handed = history.conversation(at("2026-11-03", "10:00"), client=history.client())
    history.handoff(handed, at("2026-11-03", "10:01"))
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-04"), NOW)
    [series] = panel.series
    assert [(p.x, p.y) for p in series.points] == [("2026-11-02", 100.0), ("2026-11-03", 0.0), ("2026-11-04", None)]
    assert panel.table.rows == [["2026-11-02", 100.0], ["2026-11-03", 0.0], ["2026-11-04", None]]


def sms_thread(history: History, started: dt.datetime):
    """One SMS conversation row, as the product keeps one per number for ever."""
    return history.conversation(started, client=history.client(), channel=Channel.SMS)


def test_an_sms_thread_is_cut_into_contacts_by_a_day_of_silence(history: History) -> None:
    thread = sms_thread(history, at("2026-11-02", "10:00"))
    history.message(thread, at("2026-11-02", "20:00"), Author.CLIENT)  # 10 h later: the same contact
    history.message(thread, at("2026-11-03", "15:00"), Author.CLIENT)  # 19 h later: still the same
    history.message(thread, at("2026-11-06", "09:00"), Author.CLIENT)  # after 2.7 days: a new contact
    history.message(thread, at("2026-11-06", "09:00:05"), Author.BOT)
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel) == {"started": 2, "contained": 2, "handed_off": 0, "repeat_contact": 0, "too_recent": 0}


def test_a_text_back_a_day_and_a_half_later_is_a_repeat_contact(history: History) -> None:
    thread = sms_thread(history, at("2026-11-02", "10:00"))
    history.message(thread, at("2026-11-03", "22:00"), Author.CLIENT)  # 36 h after the bot's answer
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel) == {"started": 2, "contained": 1, "handed_off": 0, "repeat_contact": 1, "too_recent": 0}


def test_a_hand_off_counts_against_its_own_contact_not_the_whole_thread(history: History) -> None:
    thread = sms_thread(history, at("2026-11-02", "10:00"))
    history.handoff(thread, at("2026-11-02", "10:01"), HandoffReason.BILLING)
    history.message(thread, at("2026-11-02", "11:30"), Author.REP)
    history.message(thread, at("2026-11-05", "09:00"), Author.CLIENT)  # days later, the bot alone
    history.message(thread, at("2026-11-05", "09:00:05"), Author.BOT)
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel) == {"started": 2, "contained": 1, "handed_off": 1, "repeat_contact": 0, "too_recent": 0}


def test_a_contact_under_way_when_the_period_begins_is_not_a_new_one(history: History) -> None:
    thread = sms_thread(history, at("2026-11-01", "22:00"))  # Sunday night, before the period
    history.message(thread, at("2026-11-02", "08:00"), Author.CLIENT)  # Monday: the same contact
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel)["started"] == 0


def test_a_text_exactly_a_day_after_the_last_one_is_still_the_same_contact(history: History) -> None:
    thread = sms_thread(history, at("2026-11-02", "10:00"))
    # The thread's last message is the bot's answer at 10:00:05.
    history.message(thread, at("2026-11-03", "10:00:05"), Author.CLIENT)  # 24 h to the second: not silence yet
    history.message(thread, at("2026-11-04", "10:00:06"), Author.CLIENT)  # a second more: a new contact
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    # Two contacts; the second began 24 h after the first's last message, within 48 h: a repeat.
    assert figures(panel) == {"started": 2, "contained": 1, "handed_off": 0, "repeat_contact": 1, "too_recent": 0}


def test_messages_at_the_same_instant_start_one_contact(history: History) -> None:
    thread = history.conversation(
        at("2026-11-02", "10:00"), client=history.client(), channel=Channel.SMS, client_wrote=False
    )
    history.message(thread, at("2026-11-04", "09:00"), Author.CLIENT)
    history.message(thread, at("2026-11-04", "09:00"), Author.CLIENT)  # a long text split in two
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel)["started"] == 1


def test_two_contacts_at_the_same_instant_are_not_each_others_return(history: History) -> None:
    # The client starts a chat in two browser tabs in the same second: two contacts, but neither
    # came back after the other (a return starts after the other's last activity, not with it).
    client, instant = history.client(), at("2026-11-03", "09:00")
    history.conversation(instant, client=client, last_activity=instant)
    history.conversation(instant, client=client, last_activity=instant)
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel) == {"started": 2, "contained": 2, "handed_off": 0, "repeat_contact": 0, "too_recent": 0}


def test_a_text_the_client_never_answered_is_no_contact(history: History) -> None:
    thread = sms_thread(history, at("2026-11-02", "10:00"))
    history.message(thread, at("2026-11-05", "09:00"), Author.BOT)  # a reminder, days later, unanswered
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    assert figures(panel) == {"started": 1, "contained": 1, "handed_off": 0, "repeat_contact": 0, "too_recent": 0}


def test_a_contact_ends_where_the_next_begins_even_far_after_the_period(history: History) -> None:
    thread = sms_thread(history, at("2026-11-08", "10:00"))  # the period's last day
    history.message(thread, at("2026-11-29", "20:00"), Author.CLIENT)  # weeks later, and within 48 h of NOW
    panel = containment(history.session, history.practice, history.window("2026-11-02", "2026-11-08"), NOW)
    # The first contact's last message is its own, not the one weeks later (which would make it
    # too recent to judge): judged, and contained.
    assert figures(panel) == {"started": 1, "contained": 1, "handed_off": 0, "repeat_contact": 0, "too_recent": 0}
