"""The rep console checked with axe-core (WCAG 2.1 A/AA and best practice, colour contrast
included) at each state a rep sees: sign-in and a refused sign-in, the queue with an urgent and
an ordinary hand-off, a conversation before and after claiming it (reply, note), the recently
resolved list, the admin page (with a setting it refuses) and the page for reps who are not
admins.  Each test signs in as a rep it creates; the hand-offs it opens it also resolves.
(The call panel is checked in test_call_back_browser.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from assistant.store.models import RepRole
from tests.e2e.console.settled import console_axe
from tests.support.accessibility import axe_violations
from tests.support.browser import BrowserConsole
from tests.support.clients import OwnClient
from tests.support.reps import OWN_REP_PASSWORD, create_own_rep
from tests.support.stack import ChatClient, RunningStack


def new_rep(stack: RunningStack, role: RepRole = RepRole.REP) -> str:
    return create_own_rep(stack.database_url, role)


def sign_in(page: Page, email: str, password: str = OWN_REP_PASSWORD) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_queue_and_conversation_pass_axe(
    console_page: Page,
    stack: RunningStack,
    open_chat: Callable[..., ChatClient],
    new_client: Callable[..., OwnClient],
    browser_log: BrowserConsole,
) -> None:
    page = console_page
    email = new_rep(stack)
    page.goto("/console/sign-in")
    assert axe_violations(page) == []
    sign_in(page, email, "not the password at all")
    expect(page.get_by_role("alert")).to_be_visible()
    assert axe_violations(page) == []  # the refused sign-in
    sign_in(page, email)
    expect(page).to_have_url(re.compile(r"/console$"))

    asking = open_chat(*new_client().identity)
    asking.send("can i talk to a real person pls")
    in_crisis = open_chat(*new_client().identity)
    in_crisis.send("honestly i just want to kill myself")
    assert asking.state == in_crisis.state == "handoff_pending"
    ordinary = page.locator(f'.queue-item[data-id="{asking.session_id}"]')
    urgent = page.locator(f'.queue-item[data-id="{in_crisis.session_id}"]')
    expect(ordinary).to_contain_text("Asked for a person")
    expect(urgent).to_contain_text("URGENT")
    page.locator("#enable-alerts").click()
    expect(page.locator("#enable-alerts")).to_have_attribute("aria-pressed", "true")
    assert console_axe(page) == []  # the queue

    ordinary.click()
    expect(page.locator("#transcript")).to_contain_text("can i talk to a real person pls")
    expect(page.locator("#reply-hint")).to_have_text("Claim the conversation to reply.")
    assert console_axe(page) == []  # a conversation nobody has claimed
    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#reply-text")).to_be_enabled()
    page.locator("#reply-text").fill("Hi, Robin here. How can I help?")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#transcript")).to_contain_text("Hi, Robin here. How can I help?")
    page.locator("#note-text").fill("Asked for a person; answered.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#status")).to_have_text("Note added.")
    assert console_axe(page) == []  # claimed: reply, note, status line
    page.get_by_role("button", name="Return to bot").click()
    expect(ordinary).to_have_count(0)

    urgent.click()
    expect(page.locator("#conversation-meta")).to_contain_text("(URGENT)")
    assert console_axe(page) == []  # an urgent hand-off
    page.get_by_role("button", name="Claim").click()
    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(urgent).to_have_count(0)

    page.get_by_role("button", name="Recently resolved").click()
    expect(page.locator(f'.queue-item[data-id="{in_crisis.session_id}"]')).to_contain_text("Resolved")
    assert console_axe(page) == []  # the recently resolved list
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]


def test_admin_pages_pass_axe(console_page: Page, stack: RunningStack, browser_log: BrowserConsole) -> None:
    page = console_page
    page.goto("/console/sign-in")
    sign_in(page, new_rep(stack, RepRole.ADMIN))
    page.get_by_role("link", name="Admin").click()
    expect(page.locator("#reps")).to_contain_text("frontdesk@lakeside.example")
    expect(page.locator("#canned-list")).to_contain_text("Next session")
    expect(page.get_by_label("Monday")).to_have_value("09:00-17:00")
    expect(page.locator("#audit tr").first).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Tuesday").fill("9 to 5")  # refused before anything is sent
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#status")).to_contain_text("is not a range like 09:00-17:00")
    assert axe_violations(page) == []  # the refusal in the status line
    assert browser_log.csp_violations() == []


def test_the_admins_only_page_passes_axe(console_page: Page, stack: RunningStack) -> None:
    page = console_page
    page.goto("/console/sign-in")
    sign_in(page, new_rep(stack))
    expect(page).to_have_url(re.compile(r"/console$"))
    page.goto("/console/admin")
    expect(page.get_by_role("heading", name="Admins only")).to_be_visible()
    assert axe_violations(page) == []
