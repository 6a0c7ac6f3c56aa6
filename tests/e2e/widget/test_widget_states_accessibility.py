"""Issue 14, point 6 (widget side): every widget state passes axe-core at 1280×800 and 360×740;
the typing indicator is announced; on a phone the full-screen panel is a modal dialog that keeps
focus inside (Escape still returns to the launcher); "End chat" asks first and says it ended;
the pre-chat form is not cramped at 1280×600."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.support.accessibility import WIDGET, axe_violations
from tests.support.stack import RunningStack
from tests.support.widget import continue_as_guest, open_home, open_widget, send

PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])


def no_violations(page: Page) -> None:
    assert axe_violations(page, overlay=WIDGET) == []


@SIZES
def test_closed_prechat_open_pending_and_ending_pass_axe(stack: RunningStack, page: Page, size: ViewportSize) -> None:
    page.set_viewport_size(size)
    open_home(page, stack.url)
    no_violations(page)  # closed: the demo page and the launcher
    open_widget(page)
    expect(page.locator("#fd-prechat-title")).to_be_visible()
    no_violations(page)  # the pre-chat form
    continue_as_guest(page)
    send(page, "what are your hours")
    no_violations(page)  # an open chat
    send(page, "can i talk to a real person")
    expect(page.locator(".fd-banner")).to_contain_text("will reply here soon")
    no_violations(page)  # waiting for a person
    page.get_by_role("button", name="End chat").click()
    expect(page.get_by_role("button", name="Keep chatting")).to_be_focused()
    no_violations(page)  # the confirmation
    page.get_by_role("button", name="Yes, end chat").click()
    expect(page.locator(".fd-note").last).to_have_text("Chat ended. Nothing from it is kept on this device.")
    no_violations(page)


def test_keep_chatting_keeps_the_chat(stack: RunningStack, page: Page) -> None:
    open_home(page, stack.url)
    open_widget(page)
    continue_as_guest(page)
    page.get_by_role("button", name="End chat").click()
    page.get_by_role("button", name="Keep chatting").click()
    expect(page.get_by_role("button", name="End chat")).to_be_focused()
    expect(page.locator(".fd-confirm")).to_be_hidden()
    expect(page.locator("#fd-input")).to_be_visible()


def test_the_typing_indicator_is_announced(stack: RunningStack, page: Page) -> None:
    open_home(page, stack.url)
    open_widget(page)
    continue_as_guest(page)
    status = page.locator(".fd-typing-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("")
    # Hold the reply so the "typing" state lasts until the test has seen it.
    held: list = []
    page.route(
        "**/api/chat/sessions/*/messages",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    page.locator("#fd-input").fill("what are your hours")
    page.locator("#fd-input").press("Enter")
    expect(status).to_have_text("The assistant is typing")
    assert len(held) == 1  # the reply is still on its way
    held[0].continue_()
    expect(status).to_have_text("")


def test_on_a_phone_the_panel_is_modal_and_keeps_focus_inside(stack: RunningStack, page: Page) -> None:
    page.set_viewport_size(PHONE)
    open_home(page, stack.url)
    open_widget(page)
    expect(page.locator(".fd-panel")).to_have_attribute("aria-modal", "true")
    continue_as_guest(page)
    for _ in range(12):  # more Tabs than the panel has controls: focus never leaves it
        page.keyboard.press("Tab")
        assert page.evaluate(
            "() => { const r = document.querySelector('#frontdesk-chat-widget').shadowRoot;"
            " return !!r.activeElement && r.querySelector('.fd-panel').contains(r.activeElement); }"
        )
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Escape")
    expect(page.locator(".fd-panel")).to_be_hidden()
    expect(page.locator(".fd-launcher")).to_be_focused()  # Escape still returns to the launcher


def test_on_a_desktop_the_panel_is_not_modal(stack: RunningStack, page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    open_home(page, stack.url)
    open_widget(page)
    expect(page.locator(".fd-panel")).to_have_attribute("aria-modal", "false")


def test_the_prechat_form_is_not_cramped_at_1280x600(stack: RunningStack, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 600})
    open_home(page, stack.url)
    open_widget(page)
    start = page.get_by_role("button", name="Start chat")
    guest = page.get_by_role("button", name="Continue for general questions")
    expect(start).to_be_in_viewport(ratio=1)
    expect(guest).to_be_in_viewport(ratio=1)
    expect(page.locator(".fd-log .fd-note").first).to_be_in_viewport()  # the greeting
    # Unclipped: each button is wholly inside the form's visible box.
    for button in (start, guest):
        inside = button.evaluate(
            "b => { const f = b.closest('form').getBoundingClientRect(), r = b.getBoundingClientRect();"
            " return r.top >= f.top - 0.5 && r.bottom <= f.bottom + 0.5 && r.left >= f.left && r.right <= f.right; }"
        )
        assert inside
    no_violations(page)
