"""Driving the website chat widget in a browser page (Playwright): open it, verify,
send, and read what it shows and keeps."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.support.clients import OwnClient

STORAGE_KEY = "fd-chat:v1:lakeside"


def wait_until_ready(page: Page) -> None:
    """The widget shows itself once styled and restored (the launcher may be under the panel)."""
    page.wait_for_function("""() => {
        const host = document.querySelector('#frontdesk-chat-widget');
        return !!host && !host.shadowRoot.querySelector('.fd-frame').hidden;
    }""")


def open_home(page: Page, url: str) -> None:
    page.goto(url + "/")
    wait_until_ready(page)


def open_widget(page: Page) -> None:
    """Open the panel (after a reload it may already be open, as the client left it)."""
    wait_until_ready(page)
    launcher = page.locator(".fd-launcher")
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
    expect(page.locator(".fd-panel")).to_be_visible()


def verify_as(page: Page, client: OwnClient) -> None:
    page.locator("#fd-name").fill(client.name)
    page.locator("#fd-dob").fill(client.date_of_birth.isoformat())
    page.get_by_role("button", name="Start chat").click()
    expect(page.locator(".fd-note").last).to_have_text("Thanks, you're verified. How can I help today?")
    expect(page.locator("#fd-input")).to_be_focused()


def continue_as_guest(page: Page) -> None:
    page.get_by_role("button", name="Continue for general questions").click()
    expect(page.locator("#fd-input")).to_be_visible()


def bot_texts(page: Page) -> Locator:
    return page.locator(".fd-from-bot .fd-text, .fd-from-system .fd-text")


def send(page: Page, text: str) -> None:
    """Type and send a message, then wait until the bot has answered it."""
    replies_before = bot_texts(page).count()
    page.locator("#fd-input").fill(text)
    page.locator("#fd-input").press("Enter")
    expect(page.locator(".fd-from-client .fd-text").last).to_have_text(text)
    wait_for_reply(page, replies_before)


def wait_for_reply(page: Page, replies_before: int) -> None:
    expect(bot_texts(page).nth(replies_before)).to_be_visible()
    expect(page.locator(".fd-typing")).to_be_hidden()
    expect(page.locator(".fd-pending")).to_have_count(0)


def stored_session(page: Page) -> dict | None:
    return page.evaluate(f"() => JSON.parse(localStorage.getItem('{STORAGE_KEY}'))")


def shadow_active_id(page: Page) -> str | None:
    return page.evaluate("""() => {
        const host = document.querySelector('#frontdesk-chat-widget');
        const active = host && host.shadowRoot.activeElement;
        return active ? (active.id || active.className) : null;
    }""")
