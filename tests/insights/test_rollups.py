"""Insights' daily roll-ups: the rolled-up panels are exactly the live ones, only faster.

A seeded history of four weeks (web chats, SMS threads cut into contacts by silence, calls,
hand-offs, returns within and after 48 hours, the end of daylight saving time) is measured
live, rolled up, and measured again: every panel that reads roll-ups must come out the same,
for every period and channel filter, including periods that begin before the first rolled-up
day and end in the days not settled yet.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assistant.cli_insights import roll_up_now
from assistant.services.insights.activity import conversations_per_day, message_heatmap
from assistant.services.insights.containment import containment
from assistant.services.insights.panel import Panel
from assistant.services.insights.rollup_job import (
    SETTLE_DAYS,
    _next_stretch,
    _settled,
    _write,
    forget,
    roll_up,
    roll_up_practice,
)
from assistant.services.insights.rollups import KeptDays, kept_days
from assistant.services.insights.window import InsightsWindow
from assistant.store.engine import get_engine, read_scope
from assistant.store.models import Author, Channel, HandoffReason, InsightDay, InsightDayCount, Practice
from tests.insights.history import ZONE, History, at
from tests.support.console import make_settings

NOW = at("2026-11-30", "12:00")
FIRST_DAY = dt.date(2026, 10, 26)  # a Monday; daylight saving time ends on Sunday 1 November
LAST_DAY = dt.date(2026, 11, 29)  # the day before NOW: the last days are not settled yet
ROLLED_UP = {"conversations_per_day": conversations_per_day, "message_heatmap": message_heatmap}


def build(history: History, seed: int = 7) -> None:
    """About five contacts a day on every channel, some clients coming back, some handed off."""
    rng = random.Random(seed)
    clients = [history.client() for _ in range(12)]
    threads = {}
    day = FIRST_DAY
    while day <= LAST_DAY:
        for _ in range(rng.randint(2, 6)):
            moment = at(day.isoformat(), f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}")
            client = rng.choice(clients)
            kind = rng.random()
            if kind < 0.4:
                chat = history.conversation(
                    moment,
                    client=client if rng.random() < 0.7 else None,
                    last_activity=moment + dt.timedelta(minutes=rng.randint(1, 50)),
                    client_wrote=rng.random() < 0.9,
                )
                if rng.random() < 0.25:
                    history.handoff(chat, moment + dt.timedelta(minutes=rng.randint(1, 30)), HandoffReason.BILLING)
            elif kind < 0.8:
                thread = threads.get(client.id)
                if thread is None:
                    thread = threads[client.id] = history.conversation(moment, client=client, channel=Channel.SMS)
                else:
                    history.message(thread, moment, Author.CLIENT)
                    history.message(thread, moment + dt.timedelta(seconds=20), Author.BOT)
                if rng.random() < 0.15:
                    history.handoff(thread, moment + dt.timedelta(minutes=2), HandoffReason.REQUESTED)
            else:
                history.conversation(moment, client=client, channel=Channel.VOICE, client_wrote=rng.random() < 0.8)
        day += dt.timedelta(days=1)
    last = max(thread.created_at for thread in threads.values())
    assert last < NOW


def windows(history: History) -> list[InsightsWindow]:
    found = []
    for first, last in [
        ("2026-10-20", "2026-11-29"),  # starts before the first conversation; weekly buckets
        ("2026-10-26", "2026-11-01"),  # the week daylight saving time ends
        ("2026-11-09", "2026-11-22"),  # entirely rolled up
        ("2026-11-23", "2026-11-29"),  # ends in the days not settled yet
        ("2026-11-27", "2026-11-27"),  # the last rolled-up day alone
        ("2026-11-30", "2026-11-30"),  # today: nothing rolled up
    ]:
        for channel in ("all", "web", "sms", "voice"):
            found.append(history.window(first, last, channel))
    return found


def panels(history: History) -> list[Panel]:
    result = []
    for window in windows(history):
        result += [metric(history.session, history.practice, window) for metric in ROLLED_UP.values()]
        result.append(containment(history.session, history.practice, window, NOW))
    return result


def test_rolled_up_panels_equal_the_live_ones(history: History) -> None:
    build(history)
    live = panels(history)
    assert roll_up_practice(history.session, history.practice, NOW) > 0
    assert kept_days(history.session, history.practice) == KeptDays(
        FIRST_DAY, NOW.astimezone(ZONE).date() - dt.timedelta(days=SETTLE_DAYS)
    )
    rolled = panels(history)
    for before, after in zip(live, rolled, strict=True):
        assert after == before, (before.key, before.table.caption)
    assert any(panel.status == "ok" for panel in rolled)


def test_the_panels_read_the_roll_up(history: History) -> None:
    # The comparison above cannot fail if nothing is read from the roll-up: change a kept count
    # and the panel shows it.
    build(history)
    roll_up_practice(history.session, history.practice, NOW)
    window = history.window("2026-11-02", "2026-11-08")
    before = conversations_per_day(history.session, history.practice, window).headline.value
    history.session.execute(
        update(InsightDayCount)
        .where(InsightDayCount.practice_id == history.practice.id, InsightDayCount.metric == "conversations")
        .where(InsightDayCount.day == dt.date(2026, 11, 4), InsightDayCount.channel == "web")
        .values(count=InsightDayCount.count + 100)
    )
    assert conversations_per_day(history.session, history.practice, window).headline.value == before + 100


def test_a_day_with_a_contact_not_yet_judged_ends_the_run(history: History) -> None:
    build(history)
    thread = history.conversation(at("2026-11-20", "09:00"), client=history.client(), channel=Channel.SMS)
    moment = at("2026-11-20", "09:00")
    while moment < NOW - dt.timedelta(hours=30):  # a text every 20 hours: one contact, still going
        moment += dt.timedelta(hours=20)
        history.message(thread, moment, Author.CLIENT)
    live = panels(history)
    roll_up_practice(history.session, history.practice, NOW)
    assert kept_days(history.session, history.practice) == KeptDays(FIRST_DAY, dt.date(2026, 11, 19))
    assert panels(history) == live


def test_a_second_pass_adds_nothing_and_a_later_one_extends_the_run(history: History) -> None:
    build(history)
    earlier = NOW - dt.timedelta(days=5)
    roll_up_practice(history.session, history.practice, earlier)
    first = kept_days(history.session, history.practice)
    assert roll_up_practice(history.session, history.practice, earlier) == 0
    assert roll_up_practice(history.session, history.practice, NOW) == 5
    later = kept_days(history.session, history.practice)
    assert first is not None and later is not None and later.last == first.last + dt.timedelta(days=5)


def test_a_change_of_time_zone_reads_live_until_the_days_are_cut_again(history: History) -> None:
    build(history)
    roll_up_practice(history.session, history.practice, NOW)
    history.practice.timezone = "America/Los_Angeles"
    history.session.flush()
    assert kept_days(history.session, history.practice) is None  # the old days are not read
    pacific = InsightsWindow(dt.date(2026, 11, 2), dt.date(2026, 11, 22), ZoneInfo("America/Los_Angeles"))
    live = [metric(history.session, history.practice, pacific) for metric in ROLLED_UP.values()]
    roll_up_practice(history.session, history.practice, NOW)
    zones = history.session.scalars(
        select(InsightDay.timezone).where(InsightDay.practice_id == history.practice.id).distinct()
    ).all()
    assert zones == ["America/Los_Angeles"]
    assert [metric(history.session, history.practice, pacific) for metric in ROLLED_UP.values()] == live


def test_a_hole_in_the_run_is_not_read_and_forget_drops_it_all(history: History) -> None:
    build(history)
    roll_up_practice(history.session, history.practice, NOW)
    live_window = history.window("2026-11-02", "2026-11-22")
    rolled = containment(history.session, history.practice, live_window, NOW)
    hole = history.session.get(InsightDay, (history.practice.id, dt.date(2026, 11, 10)))
    history.session.delete(hole)
    history.session.flush()
    assert kept_days(history.session, history.practice) is None
    assert containment(history.session, history.practice, live_window, NOW) == rolled
    forget(history.session, history.practice.id)
    assert _rows(history.session, history.practice) == (0, 0)


def _rows(session: Session, practice: Practice) -> tuple[int, int]:
    days = session.scalar(select(func.count()).select_from(InsightDay).where(InsightDay.practice_id == practice.id))
    counts = session.scalar(
        select(func.count()).select_from(InsightDayCount).where(InsightDayCount.practice_id == practice.id)
    )
    return days or 0, counts or 0


@pytest.fixture
def committed(history: History, db_url: str) -> History:
    """The history committed, for the gateway's pass (which opens its own transactions)."""
    build(history)
    history.session.commit()
    return history


def test_the_gateway_pass_keeps_what_one_transaction_would(committed: History, db_url: str) -> None:
    assert roll_up(db_url, NOW) == (LAST_DAY - FIRST_DAY).days + 1 - (SETTLE_DAYS - 1)
    assert roll_up(db_url, NOW) == 0  # a second gateway's pass (or the next hour's) finds nothing to do
    with Session(get_engine(db_url)) as fresh:
        practice = fresh.get(Practice, committed.practice.id)
        assert practice is not None
        by_pass = _rows(fresh, practice)
        rolled = [containment(fresh, practice, window, NOW) for window in windows(committed)[:8]]
        forget(fresh, practice.id)
        roll_up_practice(fresh, practice, NOW)
        assert _rows(fresh, practice) == by_pass
        assert [containment(fresh, practice, window, NOW) for window in windows(committed)[:8]] == rolled
        fresh.rollback()


def test_the_command_runs_one_pass(committed: History, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with time_machine.travel(NOW, tick=False):  # the pass reads the clock itself
        assert roll_up_now(make_settings(db_url)) == 0
        assert roll_up_now(make_settings(db_url)) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert (first, second) == ("rolled up 33 settled day(s)", "rolled up 0 settled day(s)")


def test_two_gateways_counting_the_same_days_keep_them_once(committed: History, db_url: str) -> None:
    # Both count the same stretch before either writes; the second finds the run moved.
    counted = []
    for _ in range(2):
        with read_scope(db_url) as session:
            practice = session.get(Practice, committed.practice.id)
            assert practice is not None
            stretch = _next_stretch(session, practice, NOW)
            assert stretch is not None
            counted.append((stretch, *_settled(session, practice, stretch, NOW)))
    assert counted[0] == counted[1]
    assert _write(db_url, committed.practice.id, *counted[0], NOW) is True
    assert _write(db_url, committed.practice.id, *counted[1], NOW) is False
    with Session(get_engine(db_url)) as fresh:
        practice = fresh.get(Practice, committed.practice.id)
        assert practice is not None
        assert _rows(fresh, practice)[0] == len(counted[0][1])
