"""The queue as a rep scans it, at 1280×800 and 360×740 (issue 14, points 1, 3, 5 and 6, console
side): compact two-line cards (who, why, channel, waiting time), one client's conversations
grouped, a crisis "urgent — now" instead of the ordinary reply promise, intents in words; cards
patched in place (a live update leaves the card a rep is on alone); full dates on the practice's
clock, relative times, the rep's name on their messages; new client messages announced; Resolve
and Return to bot off once done; the status line never over the content; axe-core finding
nothing on the queue or the conversation (checked with live updates paused: settled.py).

Other tests leave hand-offs in the shared queue: everything here is about this test's own rep,
clients and cards, and the hand-offs it opens it also resolves."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import Practice
from tests.e2e.console.settled import console_axe
from tests.support.browser import BrowserConsole, sign_in_console
from tests.support.clients import OwnClient
from tests.support.reps import OWN_REP_PASSWORD, create_own_rep
from tests.support.stack import ChatClient, RunningStack

SIZES = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
# Not the practice's zone: a rep's browser elsewhere must still read the practice's clock.
BROWSER_ZONE = "Asia/Tokyo"


@pytest.fixture
def browser_zone() -> str:
    return BROWSER_ZONE  # console_page's browser (conftest.py) runs on this clock


def _practice_zone(database_url: str) -> ZoneInfo:
    with session_scope(database_url) as session:
        zone = session.scalars(select(Practice.timezone).where(Practice.slug == "lakeside")).one()
    assert zone != BROWSER_ZONE
    return ZoneInfo(zone)


def _full_date(iso: str, zone: ZoneInfo) -> str:
    """The console's full date ("Tue Dec 1, 7:10 AM") on the practice's clock; this year's year is left out."""
    moment = dt.datetime.fromisoformat(iso).astimezone(zone)
    year = "" if moment.year == dt.datetime.now(zone).year else f", {moment.year}"
    hour = moment.hour % 12 or 12
    return f"{moment:%a %b} {moment.day}{year}, {hour}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"


def _sign_in(page: Page, email: str) -> None:
    sign_in_console(page, email, OWN_REP_PASSWORD)


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_the_queue_scans_and_the_conversation_closes_cleanly(
    console_page: Page,
    stack: RunningStack,
    open_chat: Callable[..., ChatClient],
    new_client: Callable[..., OwnClient],
    browser_log: BrowserConsole,
    size: str,
) -> None:
    page = console_page
    page.set_viewport_size(SIZES[size])
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == BROWSER_ZONE
    rep_name = f"Casey {uuid.uuid4().hex[:6]}"
    _sign_in(page, create_own_rep(stack.database_url, display_name=rep_name))

    twice = new_client()
    first, second = open_chat(*twice.identity), open_chat(*twice.identity)
    for chat in (first, second):
        chat.send("can i talk to a real person pls")
    in_crisis = open_chat(*new_client().identity)
    in_crisis.send("honestly i just want to kill myself")
    assert first.state == second.state == in_crisis.state == "handoff_pending"

    group = page.locator(".queue-group", has_text=twice.name)
    expect(group.locator(".group-title")).to_have_text(f"{twice.name} · 2 conversations")
    expect(group.locator(".queue-item")).to_have_count(2)
    card = page.locator(f'.queue-item[data-id="{first.session_id}"]')
    expect(card.locator(".line")).to_have_count(2)
    expect(card.locator(".line").first).to_contain_text("Asked for a person")
    expect(card.locator(".line").nth(1)).to_contain_text("Waiting")
    box = card.bounding_box()
    assert box is not None and box["height"] < 80  # two lines of text and the padding, no more
    urgent = page.locator(f'.queue-item[data-id="{in_crisis.session_id}"]')
    expect(urgent.locator(".timer")).to_contain_text("urgent — now")
    expect(urgent).not_to_contain_text("reply due")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert console_axe(page) == []  # the queue

    # Patched, not rebuilt: a hand-off arriving elsewhere leaves this card's node (and focus) alone.
    card.focus()
    card.evaluate("node => { node.dataset.seen = 'before'; }")
    arriving = open_chat(*new_client().identity)
    arriving.send("can i talk to a real person pls")
    expect(page.locator(f'.queue-item[data-id="{arriving.session_id}"]')).to_have_count(1)
    expect(card).to_have_attribute("data-seen", "before")
    expect(card).to_be_focused()

    card.click()
    transcript = page.locator("#transcript")
    expect(transcript).to_contain_text("can i talk to a real person pls")
    expect(transcript).to_have_attribute("tabindex", "0")  # reachable by keyboard, to scroll and read
    asked = transcript.locator(".from-client time").first
    expect(asked).to_contain_text(re.compile(r" · (just now|\d+ min ago)$"))
    stamp = asked.get_attribute("datetime")
    assert stamp is not None
    expect(asked).to_contain_text(_full_date(stamp, _practice_zone(stack.database_url)))
    expect(page.locator("#ticket-context")).to_contain_text("Asked for a person")
    expect(page.locator("#ticket-context")).not_to_contain_text("request_human")
    expect(page.locator("#ticket-context")).not_to_contain_text("%")

    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#reply-text")).to_be_enabled()
    page.locator("#reply-text").fill("Hi, this is the front desk.")
    page.get_by_role("button", name="Send reply").click()
    reply = transcript.locator(".from-rep").last
    expect(reply).to_contain_text("Hi, this is the front desk.")
    expect(reply.locator(".msg-head strong")).to_have_text(rep_name)  # the rep's name, not "Rep" or "rep:2"
    first.send("are you still there?")
    announcer = page.locator("#transcript-announcer")
    expect(announcer).to_have_text(f"New message from {twice.name}: are you still there?")
    expect(announcer).to_have_attribute("aria-live", "polite")
    assert console_axe(page) == []  # the conversation, claimed

    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(page.locator("#status")).to_contain_text("Resolved.")
    expect(page.get_by_role("button", name="Resolve", exact=True)).to_be_disabled()
    expect(page.get_by_role("button", name="Return to bot")).to_be_disabled()
    # The status line is in the page, above the queue: it covers nothing at any size.
    position, status_bottom, main_top = page.evaluate(
        "[getComputedStyle(document.getElementById('status')).position,"
        " document.getElementById('status').getBoundingClientRect().bottom,"
        " document.querySelector('main').getBoundingClientRect().top]"
    )
    assert position == "static" and status_bottom <= main_top
    assert console_axe(page) == []  # resolved, with the status line showing

    for chat in (second, in_crisis, arriving):  # leave nothing waiting
        page.locator(f'.queue-item[data-id="{chat.session_id}"]').click()
        expect(page.locator("#conversation-title")).to_be_focused()
        page.get_by_role("button", name="Claim").click()
        expect(page.locator("#reply-text")).to_be_enabled()
        page.get_by_role("button", name="Resolve", exact=True).click()
        expect(page.locator(f'.queue-item[data-id="{chat.session_id}"]')).to_have_count(0)
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]
