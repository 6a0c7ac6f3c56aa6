"""The audit log as an admin reads it in a browser, at a desk (1280×800) and on a phone
(360×740): sentences with the practice's date and time, the rep's name and email, the
client's name linking to the conversation; filters by rep, action and dates; axe finds nothing.
The test makes its own rep, client and hand-off, and filters the log down to them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect

from assistant.store.models import RepRole
from tests.e2e.console.conftest import RepClient
from tests.support.accessibility import axe_violations
from tests.support.browser import BrowserConsole
from tests.support.clients import OwnClient
from tests.support.reps import OWN_REP_PASSWORD, create_own_rep
from tests.support.stack import ChatClient, RunningStack

DATE_AND_TIME = re.compile(r"^\w{3} \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M E[SD]T$")


def test_the_audit_log_reads_as_sentences_and_filters_at_both_sizes(
    console_page: Page,
    stack: RunningStack,
    sign_in_rep: Callable[..., RepClient],
    open_chat: Callable[..., ChatClient],
    new_client: Callable[..., OwnClient],
    browser_log: BrowserConsole,
) -> None:
    page = console_page
    rep_name = f"Casey {uuid.uuid4().hex[:6]}"
    rep_email = create_own_rep(stack.database_url, display_name=rep_name)
    rep = sign_in_rep(rep_email, OWN_REP_PASSWORD)
    client = new_client()
    chat = open_chat(*client.identity)
    chat.send("can i talk to a real person pls")
    assert chat.state == "handoff_pending"
    assert rep.get(f"/api/rep/conversations/{chat.session_id}").status_code == 200

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/console/sign-in")
    page.get_by_label("Email").fill(create_own_rep(stack.database_url, RepRole.ADMIN, display_name="Avery"))
    page.get_by_label("Password").fill(OWN_REP_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console$"))
    page.goto("/console/admin")
    expect(page.locator("#audit tr").first).to_be_visible()

    page.get_by_label("Rep", exact=True).select_option(label=f"{rep_name} ({rep_email})")
    page.get_by_role("button", name="Show").click()
    opened = page.locator("#audit tr", has_text="Opened transcript")
    expect(opened).to_have_count(1)
    expect(page.locator("#audit tr", has_text="Signed in")).to_have_count(1)
    expect(opened).to_contain_text(rep_name)
    expect(opened).to_contain_text(rep_email)
    assert DATE_AND_TIME.match(opened.locator("time").inner_text().strip())
    expect(page.locator("#audit")).not_to_contain_text("rep:")
    expect(page.locator("#audit")).not_to_contain_text("transcript_viewed")
    assert "rep_id=" in (page.locator("#audit-export").get_attribute("href") or "")
    assert axe_violations(page) == []  # the filtered log at a desk

    page.get_by_label("Action", exact=True).select_option(label="Signed in")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#audit tr")).to_have_count(1)
    expect(page.locator("#audit tr")).to_contain_text("Signed in")
    page.get_by_label("From", exact=True).fill("2030-01-02")
    page.get_by_label("To", exact=True).fill("2030-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#audit-filters-error")).to_contain_text("on or before")
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []  # the field-level error
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#audit-filters-error")).to_be_hidden()

    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_label("Rep", exact=True).select_option(label=f"{rep_name} ({rep_email})")
    page.get_by_label("Action", exact=True).select_option(label="Opened transcript")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#audit tr")).to_have_count(1)
    card = page.locator("#audit tr")
    expect(card).to_contain_text(client.name)
    # A card, not a table: the page never scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert card.bounding_box()["width"] <= 360
    assert axe_violations(page) == []  # the log as cards on a phone

    card.get_by_role("link", name=client.name).click()
    expect(page).to_have_url(re.compile(r"/console#conversation="))
    expect(page.locator("#transcript")).to_contain_text("can i talk to a real person pls")
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]
