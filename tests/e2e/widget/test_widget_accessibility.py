"""The chat widget and the demo page it sits on, checked with axe-core (WCAG 2.1 A/AA and best
practice, colour contrast included) at each state a client sees: the page with the launcher,
the pre-chat form and its error, a verified chat with suggested replies, waiting for a person,
a person replying, unread messages behind the closed panel, the one-time-code form and its
errors, a message that could not be sent, and all of it on a 360 px phone."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Page, Route, ViewportSize, expect

from tests.support.accessibility import WIDGET, axe_violations
from tests.support.browser import BrowserConsole
from tests.support.clients import OwnClient
from tests.support.reps import rep_post, signed_in_rep
from tests.support.stack import RunningStack
from tests.support.widget import (
    bot_texts,
    open_home,
    open_widget,
    send,
    stored_session,
    verify_as,
    wait_for_reply,
)

PHONE: ViewportSize = {"width": 360, "height": 740}
NewClient = Callable[..., OwnClient]


def no_violations(page: Page) -> None:
    assert axe_violations(page, overlay=WIDGET) == []


@pytest.fixture
def rep(stack: RunningStack) -> Iterator[httpx.Client]:
    """A rep of this test's own, signed in over the API (cookie and CSRF header), to answer a hand-off."""
    with signed_in_rep(stack.url, stack.database_url, "Casey") as http:
        yield http


def test_a_verified_chat_handed_to_a_person_passes_axe_at_every_step(
    stack: RunningStack, page: Page, console: BrowserConsole, new_client: NewClient, rep: httpx.Client
) -> None:
    open_home(page, stack.url)
    no_violations(page)  # the demo page, with the launcher

    open_widget(page)
    no_violations(page)  # the pre-chat form
    page.locator("#fd-name").fill("Jordan")  # a first name alone is not enough
    page.get_by_role("button", name="Start chat").click()
    expect(page.locator(".fd-prechat .fd-error")).to_contain_text("first and last name")
    no_violations(page)

    client: OwnClient = new_client()
    verify_as(page, client)
    no_violations(page)
    send(page, "I need to reschedule my appointment")
    expect(page.locator(".fd-quick .fd-chip").first).to_be_visible()
    no_violations(page)  # suggested replies
    send(page, "no")

    send(page, "can i talk to a real person")
    expect(page.locator(".fd-banner")).to_contain_text("will reply here soon")
    no_violations(page)  # waiting for a person

    saved = stored_session(page)
    assert saved is not None
    session_id = saved["id"]
    rep_post(rep, session_id, "claim")
    rep_post(rep, session_id, "messages", {"text": "Hi, this is Casey from the front desk."})
    expect(page.locator(".fd-from-rep .fd-text")).to_have_text("Hi, this is Casey from the front desk.")
    expect(page.locator(".fd-banner")).to_contain_text("is here")
    no_violations(page)  # a person replying

    page.get_by_role("button", name="Close chat").click()
    rep_post(rep, session_id, "messages", {"text": "Are you still there?"})
    expect(page.locator(".fd-badge")).to_have_text("1")
    no_violations(page)  # an unread message behind the closed panel

    page.set_viewport_size(PHONE)
    open_widget(page)
    no_violations(page)  # the whole screen on a phone
    rep_post(rep, session_id, "resolve", {"return_to_bot": True})  # leave the shared queue as it was
    assert console.csp_violations() == []
    assert [e for e in console.errors if "pageerror" in e] == []


@pytest.mark.parametrize("page", [{"viewport": PHONE}, {}], indirect=True, ids=["phone", "desktop"])
def test_the_one_time_code_form_passes_axe(stack: RunningStack, page: Page, new_client: NewClient) -> None:
    client: OwnClient = new_client()
    open_home(page, stack.url)
    open_widget(page)
    page.locator("#fd-name").fill(client.name)
    page.locator("#fd-dob").fill(client.date_of_birth.isoformat())
    page.get_by_label("Also text a code to my mobile on file").check()
    page.get_by_role("button", name="Start chat").click()
    expect(page.get_by_label("6-digit code")).to_be_focused()
    no_violations(page)

    page.get_by_label("6-digit code").fill("12")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".fd-codeform .fd-error")).to_have_text("The code is 6 digits.")
    no_violations(page)
    page.get_by_role("button", name="Send a new code").click()
    expect(page.locator(".fd-codeform .fd-error")).to_have_text("A new code is on its way.")
    no_violations(page)

    page.get_by_role("button", name="Skip for now").click()
    expect(page.locator("#fd-input")).to_be_focused()
    no_violations(page)


def test_unconfirmed_details_and_an_unsent_message_pass_axe(
    stack: RunningStack, page: Page, new_client: NewClient
) -> None:
    # Details that do not match offer a texted code.  The gateway is asked for a guest chat
    # instead, which it answers alike (not verified), so this spends none of 127.0.0.1's budget
    # of failed checks that other tests share.
    def as_guest(route: Route) -> None:
        route.continue_(post_data=json.dumps({"practice": "lakeside"}))

    page.route("**/api/chat/sessions", as_guest)
    client: OwnClient = new_client()
    open_home(page, stack.url)
    open_widget(page)
    page.locator("#fd-name").fill(client.name)
    page.locator("#fd-dob").fill(client.wrong_date_of_birth.isoformat())
    page.get_by_role("button", name="Start chat").click()
    expect(page.get_by_role("button", name="Text a code to my mobile")).to_be_visible()
    no_violations(page)

    before = bot_texts(page).count()
    page.context.set_offline(True)
    page.locator("#fd-input").fill("are you open on saturday")
    page.locator("#fd-input").press("Enter")
    expect(page.locator(".fd-failed")).to_have_count(1)
    expect(page.locator(".fd-note").last).to_contain_text("couldn't reach the front desk")
    no_violations(page)  # a message that did not go
    page.context.set_offline(False)
    page.locator("#fd-input").fill("are you open on saturday")
    page.locator("#fd-input").press("Enter")
    wait_for_reply(page, before)
