"""The queue as a rep scans it, at 1280×800 and 360×740: compact two-line cards (who, why,
channel, waiting time), one client's conversations grouped, a crisis "urgent — now" instead of
the ordinary reply promise, intents in words, new client messages announced, Resolve / Return
to bot off once done, the status bar never over the content, and axe-core finding nothing on
the queue or the conversation. The test opens its own hand-offs and resolves them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.support.accessibility import axe_violations
from tests.support.browser import BrowserConsole
from tests.support.clients import OwnClient
from tests.support.reps import OWN_REP_PASSWORD, create_own_rep
from tests.support.stack import ChatClient, RunningStack

SIZES = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


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
    page.goto("/console/sign-in")
    page.get_by_label("Email").fill(create_own_rep(stack.database_url, display_name="Casey"))
    page.get_by_label("Password").fill(OWN_REP_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console$"))

    twice = new_client()
    first, second = open_chat(*twice.identity), open_chat(*twice.identity)
    for chat in (first, second):
        chat.send("can i talk to a real person pls")
    in_crisis = open_chat(*new_client().identity)
    in_crisis.send("honestly i just want to kill myself")
    assert first.state == second.state == in_crisis.state == "handoff_pending"

    group = page.locator(".queue-group", has_text=twice.name)
    expect(group).to_contain_text(f"{twice.name} · 2 conversations")
    expect(group.locator(".queue-item")).to_have_count(2)
    card = page.locator(f'.queue-item[data-id="{first.session_id}"]')
    expect(card.locator(".line")).to_have_count(2)
    expect(card.locator(".line").first).to_contain_text("Asked for a person")
    expect(card.locator(".line").nth(1)).to_contain_text("Waiting")
    # Two lines really: the card is no taller than two lines of text and its padding.
    assert card.bounding_box()["height"] < 80
    urgent = page.locator(f'.queue-item[data-id="{in_crisis.session_id}"]')
    expect(urgent.locator(".timer")).to_contain_text("urgent — now")
    expect(urgent).not_to_contain_text("reply due")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []  # the queue

    card.click()
    expect(page.locator("#transcript")).to_contain_text("can i talk to a real person pls")
    expect(page.locator("#transcript")).to_have_attribute("tabindex", "0")
    expect(page.locator("#ticket-context")).not_to_contain_text("request_human")
    expect(page.locator("#ticket-context")).not_to_contain_text("%")
    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#reply-text")).to_be_enabled()
    first.send("are you still there?")
    expect(page.locator("#transcript-announcer")).to_have_text(f"New message from {twice.name}: are you still there?")
    expect(page.locator("#transcript-announcer")).to_have_attribute("aria-live", "polite")
    assert axe_violations(page) == []  # the conversation, claimed

    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(page.locator("#status")).to_contain_text("Resolved.")
    expect(page.get_by_role("button", name="Resolve", exact=True)).to_be_disabled()
    expect(page.get_by_role("button", name="Return to bot")).to_be_disabled()
    # The fixed status bar keeps its own height free under the page.
    padding, bar = page.evaluate(
        "[parseFloat(getComputedStyle(document.body).paddingBottom), document.getElementById('status').offsetHeight]"
    )
    assert bar > 0 and padding >= bar
    assert axe_violations(page) == []  # resolved, with the status bar showing

    for chat in (second, in_crisis):  # leave nothing waiting
        page.locator(f'.queue-item[data-id="{chat.session_id}"]').click()
        page.get_by_role("button", name="Claim").click()
        page.get_by_role("button", name="Resolve", exact=True).click()
        expect(page.locator(f'.queue-item[data-id="{chat.session_id}"]')).to_have_count(0)
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]
