"""The rep console in a real browser (headless Chromium) against the real stack:
sign in, a new hand-off appears live, claim, reply; and the queue by keyboard only."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import Author, Message
from tests.support.browser import BrowserConsole as BrowserLog
from tests.support.console import REP
from tests.support.stack import RunningStack
from tests.support.widget import open_home, open_widget, stored_session, verify_as


def sign_in(page: Page) -> None:
    page.goto("/console")
    expect(page).to_have_url(re.compile(r"/console/sign-in$"))
    page.get_by_label("Email").fill(REP[0])
    page.get_by_label("Password").fill(REP[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console$"))
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()


def rep_messages(database_url: str, conversation_id: str) -> list[str]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(Message.text).where(Message.conversation_id == conversation_id, Message.author == Author.REP)
            )
        )


def test_sign_in_live_handoff_claim_and_reply(
    console_page: Page, stack: RunningStack, open_chat, browser_log: BrowserLog, new_client
) -> None:
    page = console_page
    sign_in(page)
    page.locator("#enable-alerts").click()  # a user gesture: sound and notifications may start
    expect(page.locator("#enable-alerts")).to_have_attribute("aria-pressed", "true")

    # A client asks for a person while the console is open: it appears without a reload.
    jordan = new_client()  # like Jordan Lee, with a session booked
    chat = open_chat(*jordan.identity)
    chat.send("can i talk to a real person pls <img src=x onerror=alert(1)>")
    assert chat.state == "handoff_pending"
    item = page.locator(f'.queue-item[data-id="{chat.session_id}"]')
    expect(item).to_be_visible()
    expect(item).to_contain_text("Asked for a person")
    expect(item).to_contain_text(jordan.name)
    expect(item.locator(".timer")).to_contain_text("Waiting")
    expect(page.locator("#announcer")).to_contain_text("New hand-off")

    item.click()
    transcript = page.locator("#transcript")
    # Client text is shown as text, never as HTML.
    expect(transcript).to_contain_text("<img src=x onerror=alert(1)>")
    assert transcript.locator("img").count() == 0
    expect(page.locator("#client-summary")).to_contain_text("Next session")
    expect(page.locator("#ticket-context")).to_contain_text("Asked for a person")
    expect(page.locator("#reply-text")).to_be_disabled()

    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#reply-text")).to_be_enabled()
    page.locator("#canned").select_option(label="Next session")
    expect(page.locator("#reply-text")).to_have_value(re.compile(r"^Hi Jordan, your next session is .+\."))
    page.locator("#reply-text").fill("Hi Jordan, Casey here. What do you need?")
    page.get_by_role("button", name="Send reply").click()
    expect(transcript).to_contain_text("Hi Jordan, Casey here. What do you need?")
    assert rep_messages(stack.database_url, chat.session_id) == ["Hi Jordan, Casey here. What do you need?"]

    # The client answers: it shows up in the open transcript live, and the bot stays out.
    assert chat.send("i need a receipt for last month") == [] and chat.state == "with_rep"
    expect(transcript).to_contain_text("i need a receipt for last month")

    page.locator("#note-text").fill("Sent receipt request to billing.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#notes")).to_contain_text("Sent receipt request to billing.")

    page.get_by_role("button", name="Return to bot").click()
    expect(page.locator("#status")).to_contain_text("Returned to the bot")
    expect(item).to_have_count(0)
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]


def test_queue_is_usable_by_keyboard_alone(console_page: Page, stack: RunningStack, open_chat, new_client) -> None:
    page = console_page
    page.goto("/console/sign-in")
    expect(page.locator("#email")).to_be_focused()  # autofocus
    page.keyboard.type(REP[0])
    page.keyboard.press("Tab")
    page.keyboard.type(REP[1])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/console$"))

    chat = open_chat(*new_client().identity)
    chat.send("i want to speak to a human")
    assert chat.state == "handoff_pending"
    target = page.locator(f'.queue-item[data-id="{chat.session_id}"]')
    expect(target).to_be_visible()

    for _ in range(60):  # Tab through the page until the new hand-off has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.id") == chat.session_id:
            break
    else:
        raise AssertionError("the hand-off in the queue never received keyboard focus")
    page.keyboard.press("Enter")
    expect(page.locator("#conversation-title")).to_be_focused()
    expect(page.locator("#transcript")).to_contain_text("i want to speak to a human")

    page.keyboard.press("Tab")
    expect(page.locator("#claim")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#reply-text")).to_be_focused()
    page.keyboard.type("Hello from the keyboard.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#transcript")).to_contain_text("Hello from the keyboard.")
    assert rep_messages(stack.database_url, chat.session_id) == ["Hello from the keyboard."]


def test_admin_page_loads_and_saves_settings(console_page: Page, browser_log: BrowserLog) -> None:
    page = console_page
    page.goto("/console/sign-in")
    page.get_by_label("Email").fill("admin@lakeside.example")
    page.get_by_label("Password").fill("demo-admin-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", name="Admin", exact=True)).to_be_visible()
    expect(page.locator("#reps")).to_contain_text("frontdesk@lakeside.example")
    expect(page.locator("#canned-list")).to_contain_text("Next session")
    expect(page.get_by_label("Monday")).to_have_value("09:00-17:00")
    expect(page.locator("#audit")).to_contain_text("Signed in")  # the label, not the raw action (issue 14)

    page.get_by_label("Response window (minutes)").fill("45")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#status")).to_contain_text("Settings saved.")
    page.get_by_label("Tuesday").fill("9 to 5")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#status")).to_contain_text("is not a range like 09:00-17:00")
    page.get_by_label("Response window (minutes)").fill("60")
    page.get_by_label("Tuesday").fill("09:00-17:00")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#status")).to_contain_text("Settings saved.")
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]


def test_the_open_chat_widget_shows_the_rep_reply_live(console_page: Page, stack: RunningStack, new_client) -> None:
    """Client in the website widget, rep in the console: both sides update without reloading."""

    client = console_page.context.browser.new_context(locale="en-US", timezone_id="America/New_York")
    try:
        widget = client.new_page()
        open_home(widget, stack.url)
        open_widget(widget)
        verify_as(widget, new_client())
        widget.locator("#fd-input").fill("can i talk to a real person pls")
        widget.locator("#fd-input").press("Enter")
        session_id = stored_session(widget)["id"]

        rep = console_page
        sign_in(rep)
        item = rep.locator(f'.queue-item[data-id="{session_id}"]')
        expect(item).to_be_visible()
        item.click()
        rep.get_by_role("button", name="Claim").click()
        rep.locator("#reply-text").fill("Hi Jordan, it's Casey from the front desk.")
        rep.get_by_role("button", name="Send reply").click()

        expect(widget.locator(".fd-from-rep .fd-text")).to_have_text("Hi Jordan, it's Casey from the front desk.")
        widget.locator("#fd-input").fill("great, thank you")
        widget.locator("#fd-input").press("Enter")
        expect(rep.locator("#transcript")).to_contain_text("great, thank you")
        rep.get_by_role("button", name="Return to bot").click()
        expect(rep.locator("#status")).to_contain_text("Returned to the bot")
    finally:
        client.close()
