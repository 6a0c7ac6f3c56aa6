"""Issue 14, point 1 in the browser: when a rep resolves, the client sees who closed the chat and
one optional question ("Did we help?") with named buttons; the answer is stored; axe-core finds
nothing in that state at 1280×800 or 360×740."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, ViewportSize, expect
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import ConversationFeedback
from tests.support.accessibility import WIDGET, axe_violations
from tests.support.reps import rep_post, signed_in_rep
from tests.support.stack import RunningStack
from tests.support.widget import continue_as_guest, open_home, open_widget, send, stored_session

PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
CLOSED = "Casey closed this conversation \u2014 message us any time"


@pytest.fixture
def rep(stack: RunningStack) -> Iterator[httpx.Client]:
    """A rep of this test's own (Casey), signed in over the API, to claim and resolve."""
    with signed_in_rep(stack.url, stack.database_url, "Casey Rivera") as http:
        yield http


def _resolved_in_the_widget(stack: RunningStack, page: Page, rep: httpx.Client) -> str:
    open_home(page, stack.url)
    open_widget(page)
    continue_as_guest(page)
    send(page, "can i talk to a real person")
    expect(page.locator(".fd-banner")).to_contain_text("will reply here soon")
    saved = stored_session(page)
    assert saved is not None
    rep_post(rep, saved["id"], "claim")
    rep_post(rep, saved["id"], "resolve", {"return_to_bot": False})
    expect(page.locator(".fd-from-system .fd-text").last).to_have_text(CLOSED)
    expect(page.locator(".fd-feedback")).to_be_visible()
    return str(saved["id"])


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_closure_and_the_thumbs_question_pass_axe_and_store_the_answer(
    stack: RunningStack, page: Page, rep: httpx.Client, size: ViewportSize
) -> None:
    page.set_viewport_size(size)
    session_id = _resolved_in_the_widget(stack, page, rep)
    card = page.locator(".fd-feedback")
    expect(card.get_by_text("Did we help?")).to_be_visible()
    assert axe_violations(page, overlay=WIDGET) == []

    page.get_by_label("Anything you'd like to add? (optional)").fill("Quick and kind, thanks")
    page.get_by_role("button", name="Yes, this helped").click()
    expect(page.locator(".fd-feedback-done")).to_have_text("Thanks for telling us.")
    expect(page.locator(".fd-feedback")).to_have_count(0)
    assert axe_violations(page, overlay=WIDGET) == []
    with session_scope(stack.database_url) as session:
        rows = session.scalars(
            select(ConversationFeedback).where(ConversationFeedback.conversation_id == session_id)
        ).all()
        assert [(row.rating, row.comment) for row in rows] == [("up", "Quick and kind, thanks")]

    # After a reload the answered question is not asked again.
    page.reload()
    open_widget(page)
    expect(page.locator(".fd-from-system .fd-text").last).to_have_text(CLOSED)
    page.wait_for_function(
        "() => document.querySelector('#frontdesk-chat-widget').shadowRoot"
        ".querySelector('.fd-log').getAttribute('aria-busy') === 'false'"
    )
    expect(page.locator(".fd-feedback")).to_have_count(0)


def test_the_question_survives_a_reload_until_answered(stack: RunningStack, page: Page, rep: httpx.Client) -> None:
    _resolved_in_the_widget(stack, page, rep)
    page.reload()
    open_widget(page)
    expect(page.locator(".fd-feedback")).to_have_count(1)
    page.get_by_role("button", name="No, this didn't help").click()
    expect(page.locator(".fd-feedback-done")).to_have_text("Thanks for telling us.")
