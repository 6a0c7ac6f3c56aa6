"""The website chat widget in a real browser (headless Chromium) against the real stack:
trained model, Rasa, action server and gateway, as a client would meet them."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from assistant.conversation.outbound import send_to_client
from assistant.stack import free_port
from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    Author,
    Conversation,
    Practice,
    utcnow,
)
from tests.support.clients import OwnClient
from tests.support.widget import (
    bot_texts,
    continue_as_guest,
    open_home,
    open_widget,
    send,
    shadow_active_id,
    stored_session,
    verify_as,
    wait_for_reply,
)

HOSTILE = "<img src=x onerror=window.__pwned=1>"
PHONE = {"width": 360, "height": 740}


# --- helpers ----------------------------------------------------------------------------


def next_appointment(database_url: str, client: OwnClient) -> Appointment:
    with session_scope(database_url) as session:
        return session.scalars(
            select(Appointment)
            .where(
                Appointment.client_id == client.id,
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.starts_at > utcnow(),
            )
            .order_by(Appointment.starts_at)
        ).first()


def say_as_rep(database_url: str, session_id: str, text: str) -> int:
    with session_scope(database_url) as session:
        conversation = session.get(Conversation, session_id)
        return send_to_client(session, conversation, text, author=Author.REP).id


# --- tests ------------------------------------------------------------------------------


def test_reschedule_with_quick_reply_buttons_changes_the_store(stack, page: Page, console, new_client) -> None:
    jordan = new_client()
    open_home(page, stack.url)
    open_widget(page)
    expect(page.locator(".fd-note").first).to_contain_text("move, cancel or book a session")
    verify_as(page, jordan)
    original = next_appointment(stack.database_url, jordan)

    send(page, "I need to reschedule my appointment")
    slots = page.locator(".fd-quick .fd-chip")
    expect(slots.first).to_be_visible()
    chosen = slots.first.inner_text()
    before = bot_texts(page).count()
    slots.first.click()
    # The client's bubble shows the button's title, never its payload.
    expect(page.locator(".fd-from-client .fd-text").last).to_have_text(chosen)
    wait_for_reply(page, before)
    expect(bot_texts(page).last).to_contain_text("Move your session")

    yes = page.locator(".fd-quick .fd-chip", has_text="Yes")
    before = bot_texts(page).count()
    yes.click()
    expect(page.locator(".fd-from-client .fd-text").last).to_have_text("Yes")
    wait_for_reply(page, before)
    expect(bot_texts(page).last).to_contain_text("Done!")
    assert "/choose_option" not in page.locator(".fd-log").inner_text()
    expect(page.locator(".fd-log time").first).to_be_visible()  # timestamps

    with session_scope(stack.database_url) as session:
        assert session.get(Appointment, original.id).status is AppointmentStatus.RESCHEDULED
        moved = session.scalars(select(Appointment).where(Appointment.replaces_id == original.id)).one()
        assert moved.status is AppointmentStatus.BOOKED
        assert moved.starts_at.astimezone(original.starts_at.tzinfo) != original.starts_at
    assert console.csp_violations() == []
    assert [e for e in console.errors if "pageerror" in e] == []


def test_conversation_survives_reload_and_a_new_tab(stack, page: Page, new_client) -> None:
    open_home(page, stack.url)
    open_widget(page)
    verify_as(page, new_client())
    send(page, "when is my next appointment")
    first_reply = bot_texts(page).last.inner_text()
    saved = stored_session(page)
    assert saved and saved["id"] and saved["token"]

    page.reload()
    # The panel reopens where it was, with the whole transcript.
    expect(page.locator(".fd-panel")).to_be_visible()
    expect(page.locator(".fd-from-client .fd-text").first).to_have_text("when is my next appointment")
    expect(bot_texts(page).last).to_have_text(first_reply)
    expect(page.locator("#fd-prechat-title")).to_be_hidden()
    send(page, "whats the zoom link for my session")
    # Still verified: the session's own link, clickable (built as an element, not markup).
    expect(bot_texts(page).last.locator("a")).to_have_attribute("href", re.compile(r"^https?://"))
    assert stored_session(page)["id"] == saved["id"]

    other = page.context.new_page()
    open_home(other, stack.url)
    open_widget(other)
    expect(other.locator(".fd-from-client .fd-text")).to_have_count(2)
    expect(other.locator(".fd-from-client .fd-text").last).to_have_text("whats the zoom link for my session")
    other.close()


def test_end_chat_forgets_the_session_here_and_on_the_server(stack, page: Page) -> None:
    open_home(page, stack.url)
    open_widget(page)
    continue_as_guest(page)
    send(page, "what are your hours")
    session_id = stored_session(page)["id"]
    page.get_by_role("button", name="End chat").click()  # asks first (issue 14)
    with page.expect_response(lambda r: r.request.method == "DELETE") as ended:
        page.get_by_role("button", name="Yes, end chat").click()
    assert ended.value.status == 204
    expect(page.locator(".fd-note").last).to_have_text("Chat ended. Nothing from it is kept on this device.")
    expect(page.locator("#fd-prechat-title")).to_be_visible()
    expect(page.locator(".fd-from-client")).to_have_count(0)
    assert stored_session(page) is None
    with session_scope(stack.database_url) as session:
        assert session.get(Conversation, session_id).token_hash is None
    page.reload()
    open_widget(page)
    expect(page.locator("#fd-prechat-title")).to_be_visible()
    expect(page.locator(".fd-from-client")).to_have_count(0)


def test_an_idle_session_starts_afresh(stack, page: Page) -> None:
    open_home(page, stack.url)
    open_widget(page)
    continue_as_guest(page)
    send(page, "hello")
    session_id = stored_session(page)["id"]
    with session_scope(stack.database_url) as session:
        conversation = session.get(Conversation, session_id)
        conversation.last_activity_at = conversation.last_activity_at.replace(year=2000)
    page.reload()
    expect(page.locator(".fd-panel")).to_be_visible()
    expect(page.locator(".fd-note").last).to_have_text("This chat has ended. Start a new one whenever you like.")
    expect(page.locator("#fd-prechat-title")).to_be_visible()
    expect(page.locator(".fd-from-client")).to_have_count(0)
    assert stored_session(page) is None


def test_keyboard_only_walkthrough(stack, page: Page, new_client) -> None:
    jordan = new_client()
    open_home(page, stack.url)
    for _ in range(30):
        if shadow_active_id(page) == "fd-launcher":
            break
        page.keyboard.press("Tab")
    assert shadow_active_id(page) == "fd-launcher", "the launcher is not reachable with Tab"
    page.keyboard.press("Enter")
    expect(page.locator(".fd-panel")).to_be_visible()
    assert shadow_active_id(page) == "fd-name"  # focus moved into the panel

    page.keyboard.type(jordan.name)
    page.keyboard.press("Tab")
    assert shadow_active_id(page) == "fd-dob"
    page.keyboard.type(jordan.date_of_birth.strftime("%m%d%Y"))  # en-US date field: month, day, year
    page.keyboard.press("Enter")
    expect(page.locator(".fd-note").last).to_have_text("Thanks, you're verified. How can I help today?")
    assert shadow_active_id(page) == "fd-input"

    page.keyboard.type("I want to reschedule")
    page.keyboard.press("Enter")
    expect(page.locator(".fd-quick .fd-chip").first).to_be_visible()
    expect(page.locator(".fd-typing")).to_be_hidden()
    # The offered times are buttons a keyboard reaches: Shift+Tab back from the message box.
    page.keyboard.press("Shift+Tab")
    assert shadow_active_id(page) == "fd-chip"
    before = bot_texts(page).count()
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    expect(bot_texts(page).last).to_contain_text("Move your session")

    page.keyboard.press("Escape")
    expect(page.locator(".fd-panel")).to_be_hidden()
    assert shadow_active_id(page) == "fd-launcher"  # focus back on the launcher
    page.keyboard.press("Enter")
    expect(page.locator(".fd-panel")).to_be_visible()
    assert shadow_active_id(page) == "fd-input"
    # Leave nothing half-done for the other tests: decline the move.
    page.keyboard.type("no")
    page.keyboard.press("Enter")
    expect(page.locator(".fd-typing")).to_be_hidden()


def test_accessibility_landmarks(stack, page: Page) -> None:
    open_home(page, stack.url)
    launcher = page.locator(".fd-launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    open_widget(page)
    expect(launcher).to_have_attribute("aria-expanded", "true")
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("dialog")).to_have_accessible_name("Lakeside Counseling")
    expect(page.get_by_label("Full name")).to_be_visible()
    expect(page.get_by_label("Date of birth", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Close chat")).to_be_visible()


@pytest.mark.parametrize("page", [{"bypass_csp": True}], indirect=True)
def test_hostile_markup_is_shown_as_text_and_never_runs(stack, page: Page) -> None:
    # CSP bypassed on purpose: if the widget ever parsed text as HTML, the handler would run.
    open_home(page, stack.url)
    open_widget(page)
    continue_as_guest(page)
    page.locator("#fd-input").fill(HOSTILE)
    page.locator("#fd-input").press("Enter")
    expect(page.locator(".fd-from-client .fd-text").last).to_have_text(HOSTILE)
    expect(page.locator(".fd-typing")).to_be_hidden()
    session_id = stored_session(page)["id"]
    say_as_rep(stack.database_url, session_id, HOSTILE)
    say_as_rep(stack.database_url, session_id, "<script>window.__pwned=2</script><b>bold?</b>")
    expect(page.locator(".fd-from-rep .fd-text").first).to_have_text(HOSTILE)
    expect(page.locator(".fd-from-rep .fd-text").last).to_have_text("<script>window.__pwned=2</script><b>bold?</b>")
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    for tag in ("img", "script", "b"):
        expect(page.locator(f".fd-log {tag}")).to_have_count(0)


def test_a_rep_reply_arrives_live_and_survives_a_network_drop(stack, page: Page) -> None:
    open_home(page, stack.url)
    open_widget(page)
    continue_as_guest(page)
    session_id = stored_session(page)["id"]
    expect(page.locator(".fd-banner")).to_be_hidden()

    say_as_rep(stack.database_url, session_id, "Hi, this is Sam from the front desk. How can I help?")
    expect(page.locator(".fd-from-rep .fd-text")).to_have_text("Hi, this is Sam from the front desk. How can I help?")
    expect(page.locator(".fd-banner")).to_have_text("A team member from Lakeside Counseling is here")

    page.context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")  # the page knows it is offline
    say_as_rep(stack.database_url, session_id, "Are you still there?")
    page.context.set_offline(False)
    expect(page.locator(".fd-from-rep .fd-text").last).to_have_text("Are you still there?")
    # Messages arrive in id order, so once a later one is shown any duplicate of the
    # earlier one would already be on screen: no sleep needed to prove there is none.
    say_as_rep(stack.database_url, session_id, "Take your time.")
    expect(page.locator(".fd-from-rep .fd-text").last).to_have_text("Take your time.")
    expect(page.locator(".fd-from-rep")).to_have_count(3)  # resumed: no duplicates, no gaps


def test_the_panel_fits_a_360px_phone(stack, page: Page) -> None:
    page.set_viewport_size(PHONE)
    open_home(page, stack.url)
    open_widget(page)
    box = page.locator(".fd-panel").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5
    continue_as_guest(page)
    send(page, "hi there")
    for selector in ("#fd-input", ".fd-send", ".fd-close", ".fd-end"):
        element = page.locator(selector).bounding_box()
        assert element and element["x"] >= 0 and element["x"] + element["width"] <= PHONE["width"], selector
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    overflow = page.evaluate("""() => {
        const log = document.querySelector('#frontdesk-chat-widget').shadowRoot.querySelector('.fd-log');
        return log.scrollWidth - log.clientWidth;
    }""")
    assert overflow <= 0
    page.get_by_role("button", name="Close chat").click()
    expect(page.locator(".fd-launcher")).to_be_visible()


@pytest.fixture
def other_site(stack) -> Iterator[str]:
    """A practice website on another origin, embedding the widget with one script tag."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    body = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clinic site</title>'
        f'<script src="{stack.url}/widget.js" data-practice="lakeside" defer></script></head>'
        f"<body><h1>Another site</h1></body></html>"
    ).encode()
    csp = f"default-src 'none'; script-src {stack.url}; style-src {stack.url}; connect-src {stack.url}; base-uri 'none'"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with session_scope(stack.database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        saved = list(practice.widget_allowed_origins or [])
    try:
        yield origin
    finally:
        with session_scope(stack.database_url) as session:
            session.scalars(select(Practice).where(Practice.slug == "lakeside")).one().widget_allowed_origins = saved
        server.shutdown()
        server.server_close()


def _allow(database_url: str, origin: str) -> None:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        practice.widget_allowed_origins = [*(practice.widget_allowed_origins or []), origin]


def test_embedded_on_another_site_only_when_its_origin_is_allowed(stack, page: Page, other_site, console) -> None:
    page.goto(other_site + "/")
    expect(page.locator(".fd-launcher")).to_be_visible()  # script and stylesheet from the gateway
    open_widget(page)
    continue_as_guest_button = page.get_by_role("button", name="Continue for general questions")
    continue_as_guest_button.click()
    expect(page.locator(".fd-prechat .fd-error")).to_contain_text("couldn't reach")  # CORS refused
    assert stored_session(page) is None

    _allow(stack.database_url, other_site)
    page.reload()
    expect(page.locator(".fd-panel")).to_be_visible()  # reopened as it was before the reload
    continue_as_guest(page)
    send(page, "hi")
    session_id = stored_session(page)["id"]
    say_as_rep(stack.database_url, session_id, "Hello from the team")  # the stream works cross-origin
    expect(page.locator(".fd-from-rep .fd-text")).to_have_text("Hello from the team")
    assert console.csp_violations() == []


def test_demo_page_sends_a_strict_csp(stack, page: Page) -> None:
    response = page.goto(stack.url + "/")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe" not in csp
    # widget.css loaded inside the shadow root (a link, allowed by style-src 'self').
    expect(page.locator(".fd-launcher")).to_have_css("background-color", "rgb(20, 83, 45)")
