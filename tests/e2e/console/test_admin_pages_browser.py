"""The admin pages as a new admin uses them, at 1280×800 and 360×740: tables become cards on a
phone, a masked password dialog (never window.prompt) with its errors next to the field, deletes
confirmed first, a styled 403 with a way back, a favicon; axe-core finds nothing at either size.
Each test makes its own admin and rep, and its own canned response to delete."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from assistant.store.models import RepRole
from tests.support.accessibility import axe_violations
from tests.support.browser import BrowserConsole, sign_in_console
from tests.support.reps import OWN_REP_PASSWORD, create_own_rep
from tests.support.stack import RunningStack

SIZES = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


def sign_in(page: Page, email: str) -> None:
    sign_in_console(page, email, OWN_REP_PASSWORD)


def no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_admin_page_dialogs_and_cards(
    console_page: Page, stack: RunningStack, browser_log: BrowserConsole, size: str
) -> None:
    page = console_page
    page.set_viewport_size(SIZES[size])
    prompts: list[str] = []
    page.on("dialog", lambda dialog: (prompts.append(dialog.type), dialog.dismiss()))
    rep_name = f"Morgan {uuid.uuid4().hex[:6]}"
    create_own_rep(stack.database_url, display_name=rep_name)
    sign_in(page, create_own_rep(stack.database_url, RepRole.ADMIN, display_name="Avery"))
    page.goto("/console/admin")
    row = page.locator("#reps tr", has_text=rep_name)
    expect(row).to_be_visible()
    expect(page.locator("#audit tr").first).to_be_visible()
    assert page.locator("link[rel=icon]").get_attribute("href", timeout=1000).startswith("data:image/svg+xml")
    assert no_sideways_scroll(page)
    if size == "phone":  # a card: the column's name is said before each value, no table header row
        expect(page.locator("#reps").locator("xpath=..").locator("thead")).not_to_be_in_viewport()
        assert row.bounding_box()["width"] <= 360
    assert axe_violations(page) == []

    # The password: a masked field in a modal dialog, its errors next to the field.
    row.get_by_role("button", name="Set password").click()
    dialog = page.get_by_role("dialog", name=f"Set a password for {rep_name}")
    expect(dialog).to_be_visible()
    expect(page.locator("#new-password")).to_be_focused()
    assert page.locator("#new-password").get_attribute("type") == "password"
    page.locator("#new-password").fill("short")
    dialog.get_by_role("button", name="Set password").click()
    expect(page.locator("#new-password-error")).to_have_text("Use at least 12 characters.")
    expect(page.locator("#new-password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new-password")).to_have_attribute("aria-describedby", "new-password-error")
    assert axe_violations(page) == []  # the dialog with a field error
    page.locator("#new-password").fill("a-brand-new-long-password")
    page.locator("#new-password-again").fill("a-brand-new-long-password")
    dialog.get_by_role("button", name="Set password").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#status")).to_contain_text(f"Password changed; {rep_name} was signed out everywhere.")

    # Deactivating asks first; Cancel changes nothing.
    row.get_by_role("button", name="Deactivate").click()
    confirm = page.get_by_role("dialog", name=f"Deactivate {rep_name}?")
    expect(confirm).to_be_visible()
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    assert axe_violations(page) == []  # the confirmation
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    expect(row).to_contain_text("yes")
    row.get_by_role("button", name="Deactivate").click()
    confirm.get_by_role("button", name="Deactivate").click()
    expect(row.get_by_role("button", name="Reactivate")).to_be_visible()

    # A canned response is deleted only once confirmed.
    title = f"Parking {uuid.uuid4().hex[:6]}"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Text", exact=True).fill("Free parking is behind the building.")
    page.get_by_role("button", name="Save", exact=True).click()
    item = page.locator("#canned-list li", has_text=title)
    expect(item).to_be_visible()
    item.get_by_role("button", name=f"Delete “{title}”").click()
    page.get_by_role("dialog", name=f"Delete “{title}”?").get_by_role("button", name="Cancel").click()
    expect(item).to_be_visible()
    item.get_by_role("button", name=f"Delete “{title}”").click()
    page.get_by_role("dialog", name=f"Delete “{title}”?").get_by_role("button", name="Delete").click()
    expect(item).to_have_count(0)

    # A refused setting is said next to its field.
    page.get_by_label("Tuesday").fill("9 to 5")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#hours-tue-error")).to_contain_text("is not a range like 09:00-17:00")
    expect(page.get_by_label("Tuesday")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    assert prompts == []  # no window.prompt / confirm / alert anywhere
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_the_403_page_is_styled_and_leads_back(console_page: Page, stack: RunningStack, size: str) -> None:
    page = console_page
    page.set_viewport_size(SIZES[size])
    sign_in(page, create_own_rep(stack.database_url))
    response = page.goto("/console/admin")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Admins only")).to_be_visible()
    assert no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Back to the queue").click()
    expect(page).to_have_url(re.compile(r"/console$"))
