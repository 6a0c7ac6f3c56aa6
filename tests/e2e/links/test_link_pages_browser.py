"""The pages behind the links the bot texts, opened in a real browser (headless Chromium) against
the running gateway, and checked with axe-core (WCAG 2.1 A/AA and best practice, colour contrast
included) at each state a client sees: portal sign-in (continue, signed in, then the link used
up), and the card page (the form, a refused number, saved).  Their strict CSP holds throughout
(the one inline <style> is allowed by its hash, nothing else)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from assistant.services.links import issue_link
from assistant.store.engine import session_scope
from assistant.store.models import Client, LinkPurpose, Practice
from tests.support.accessibility import axe_violations
from tests.support.browser import BrowserConsole
from tests.support.clients import OwnClient
from tests.support.stack import RunningStack

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def browser_log() -> BrowserConsole:
    return BrowserConsole()


@pytest.fixture(params=[{}, {"viewport": PHONE}], ids=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Browser, browser_log: BrowserConsole) -> Iterator[Page]:
    context = browser.new_context(locale="en-US", timezone_id="America/New_York", **request.param)
    context.on("console", browser_log.record)
    page = context.new_page()
    page.on("pageerror", lambda error: browser_log.errors.append(f"pageerror: {error}"))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def link_for(stack: RunningStack, new_client: Callable[[], OwnClient]) -> Callable[[LinkPurpose], str]:
    """A fresh one-time link of a client only this test uses."""
    own = new_client()

    def _issue(purpose: LinkPurpose) -> str:
        with session_scope(stack.database_url) as session:
            practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
            client = session.get(Client, own.id)
            assert client is not None
            return issue_link(
                session, client=client, practice=practice, purpose=purpose, public_base_url=stack.url, ttl_minutes=30
            )

    return _issue


def test_portal_sign_in_pages_pass_axe(
    page: Page, link_for: Callable[[LinkPurpose], str], browser_log: BrowserConsole
) -> None:
    link = link_for(LinkPurpose.PORTAL_SIGN_IN)
    page.goto(link)
    expect(page.get_by_role("heading", name="Sign in to the portal")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="You're signed in")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(link)  # used once already
    expect(page.get_by_role("heading", name="Link expired")).to_be_visible()
    assert axe_violations(page) == []
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]


def test_card_update_pages_pass_axe(
    page: Page, link_for: Callable[[LinkPurpose], str], browser_log: BrowserConsole
) -> None:
    page.goto(link_for(LinkPurpose.BILLING_UPDATE))
    expect(page.get_by_role("heading", name="Update your card")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Card number").fill("1234 5678")
    page.get_by_label("Expiry (MM/YY)").fill("09/30")
    page.get_by_role("button", name="Save card").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check the card number")
    assert axe_violations(page) == []  # the refused number

    page.get_by_label("Card number").fill("4111 1111 1111 1111")
    page.get_by_label("Expiry (MM/YY)").fill("09/30")
    page.get_by_role("button", name="Save card").click()
    expect(page.get_by_role("heading", name="Card saved")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Visa ending in 1111")
    assert axe_violations(page) == []
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]
