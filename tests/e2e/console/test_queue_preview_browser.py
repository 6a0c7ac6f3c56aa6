"""The queue card's one-line preview of the client's last message (issue 14, point 5), in a real
browser at 1280×800 and 360×740: under the card's two lines, on one line however long the message
(cut by the server near 90 characters, and by CSS at the card's edge), hostile text shown as text,
patched in live when the client writes again, audited once for this rep, and axe-core finding
nothing on the queue (checked with live updates paused: settled.py).

Other tests leave hand-offs in the shared queue: this test looks only at its own rep and cards,
and resolves the hand-off it opens."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import AuditEvent
from tests.e2e.console.settled import console_axe
from tests.support.browser import BrowserConsole, sign_in_console
from tests.support.clients import OwnClient
from tests.support.reps import OWN_REP_PASSWORD, create_own_rep
from tests.support.stack import ChatClient, RunningStack

SIZES = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1"> is this <b>bold</b>?'
LONG = (
    "I need to move my Thursday session because my daughter has a school recital that evening and "
    "I also wanted to ask about the invoice"
)


def _previews(database_url: str, actor: str, conversation_id: str) -> list[object]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(AuditEvent.details).where(
                    AuditEvent.action == "message_previewed",
                    AuditEvent.actor == actor,
                    AuditEvent.subject_type == "conversation",
                    AuditEvent.subject_id == conversation_id,
                )
            )
        )


def _sign_in(page: Page, email: str) -> str:
    sign_in_console(page, email, OWN_REP_PASSWORD)
    me = page.request.get("/api/rep/me")
    assert me.ok, me.text()
    return f"rep:{me.json()['rep']['id']}"


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_the_card_previews_the_clients_last_message_on_one_line(
    console_page: Page,
    stack: RunningStack,
    open_chat: Callable[..., ChatClient],
    new_client: Callable[..., OwnClient],
    browser_log: BrowserConsole,
    size: str,
) -> None:
    page = console_page
    page.set_viewport_size(SIZES[size])
    actor = _sign_in(page, create_own_rep(stack.database_url, display_name=f"Sam {uuid.uuid4().hex[:6]}"))

    chat = open_chat(*new_client().identity)
    chat.send("can i talk to a real person pls")
    assert chat.state == "handoff_pending"
    card = page.locator(f'.queue-item[data-id="{chat.session_id}"]')
    preview = card.locator(".preview")
    expect(preview).to_have_text("can i talk to a real person pls")
    expect(card.locator(".line")).to_have_count(2)  # the card's two lines, and the preview under them

    # The client writes again: the live queue brings the newest words, cut to one line.
    chat.send(LONG)
    expect(preview).to_have_text(re.compile(r"^I need to move my Thursday session .*…$"))
    shown = preview.text_content() or ""
    assert len(shown) <= 91 and not shown.endswith(" …")
    assert preview.evaluate("node => node.getClientRects().length") == 1
    height, line_height, cut_by_css = preview.evaluate(
        "node => [node.getBoundingClientRect().height, parseFloat(getComputedStyle(node).lineHeight),"
        " node.scrollWidth > node.clientWidth]"
    )
    assert height <= line_height * 1.2  # one line, never wrapped
    if size == "phone":
        assert cut_by_css  # wider than the phone's card: the ellipsis is the style sheet's
        assert page.evaluate("getComputedStyle(document.querySelector('.queue-item .preview')).textOverflow") == (
            "ellipsis"
        )
    box = card.bounding_box()
    assert box is not None and box["height"] < 80  # still compact: two short lines and the preview
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Hostile text is text: no element made of it, nothing run.
    chat.send(HOSTILE)
    expect(preview).to_have_text(HOSTILE)
    expect(card.locator("img, b")).to_have_count(0)
    assert page.evaluate("document.body.dataset.pwned") is None
    expect(card).to_have_attribute("data-id", chat.session_id)
    assert console_axe(page) == []

    # Audited for this rep: one event per message previewed, however often the live queue listed it.
    page.reload()
    expect(preview).to_have_text(HOSTILE)
    events = _previews(stack.database_url, actor, chat.session_id)
    messages = [event["message"] for event in events if isinstance(event, dict)]
    assert len(events) == 3 and len(set(messages)) == 3

    card.click()
    expect(page.locator("#conversation-title")).to_be_focused()
    page.get_by_role("button", name="Claim").click()
    expect(page.locator("#reply-text")).to_be_enabled()
    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(card).to_have_count(0)
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]
