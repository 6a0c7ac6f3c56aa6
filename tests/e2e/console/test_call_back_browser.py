"""A phone call in the rep console, in a real browser against the real stack: a voicemail
waiting for a call back shows in the queue as a call, its transcript and recording (played
through the gateway from the fake Twilio API) in the conversation, and "Call back" gives
the number to dial and records who called back.  No accessibility violations (axe-core)."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import Call, HandoffTicket, TicketState
from tests.e2e.console.settled import console_axe
from tests.support.browser import BrowserConsole, sign_in_console
from tests.support.calls import VOICEMAIL, recording_url, store_call
from tests.support.console import REP
from tests.support.fake_twilio import FAKE_MP3
from tests.support.stack import TWILIO_ACCOUNT_SID, RunningStack

FETCH_AUDIO = """async (path) => {
  const response = await fetch(path, { credentials: "same-origin" });
  const body = await response.arrayBuffer();
  return [response.status, response.headers.get("content-type"), body.byteLength];
}"""


def sign_in(page: Page) -> None:
    sign_in_console(page, *REP)


def test_a_voicemail_is_heard_and_called_back_from_the_console(
    console_page: Page, stack: RunningStack, new_client, browser_log: BrowserConsole
) -> None:  # noqa: ANN001
    page = console_page
    client = new_client()
    stored = store_call(
        stack.database_url,
        from_number=client.mobile,
        client_id=client.id,
        recording=recording_url(stack.twilio.url, TWILIO_ACCOUNT_SID),
    )
    sign_in(page)

    item = page.locator(f'.queue-item[data-id="{stored.conversation_id}"]')
    expect(item).to_be_visible()
    expect(item.locator(".channel")).to_have_text("Call · Voicemail · 1 min 35 s")
    expect(item.locator(".reason")).to_have_text("Call back")
    expect(item).to_contain_text(client.name)

    item.click()
    panel = page.locator("#call-panel")
    expect(panel).to_be_visible()
    expect(page.locator("#conversation-meta")).to_contain_text("Call · waiting for a person")
    expect(page.locator("#call-details")).to_contain_text("Voicemail")
    expect(page.locator("#call-details")).to_contain_text("Put through to the front desk: no answer")
    expect(page.locator("#call-transcript")).to_have_text(VOICEMAIL)
    expect(page.locator("#transcript")).to_contain_text("Heard with low confidence (42%)")
    expect(page.locator("#reply-form")).to_be_hidden()  # nothing written reaches a caller
    expect(page.locator("#call-reply-hint")).to_be_visible()
    expect(page.get_by_role("button", name="Call back", exact=True)).to_be_disabled()  # claim first

    player = page.locator("#call-recording audio")
    expect(player).to_have_attribute("preload", "none")
    source = player.get_attribute("src")
    assert source == f"/api/rep/calls/{stored.call_id}/recording"
    assert page.evaluate(FETCH_AUDIO, source) == [200, "audio/mpeg", len(FAKE_MP3)]
    assert stored.recording_url is not None
    fetched = [r for r in stack.twilio.fetched() if stored.recording_url.endswith(r.path.removesuffix(".mp3"))]
    assert [(r.account_sid, r.path.endswith(".mp3")) for r in fetched] == [(TWILIO_ACCOUNT_SID, True)]
    assert console_axe(page) == []

    page.get_by_role("button", name="Claim").click()
    call_back = page.get_by_role("button", name="Call back", exact=True)
    expect(call_back).to_be_enabled()
    expect(call_back).to_be_focused()
    call_back.click()
    dial = page.locator("#call-back-link")
    expect(dial).to_have_attribute("href", f"tel:{client.mobile}")
    expect(dial).to_be_focused()
    expect(page.locator("#transcript")).to_contain_text("Called back by Casey (front desk) at ")
    expect(page.locator("#call-details")).to_contain_text("Called back")
    expect(page.locator("#status")).to_contain_text("Call back recorded")
    with session_scope(stack.database_url) as session:
        call = session.get(Call, stored.call_id)
        ticket = session.scalars(
            select(HandoffTicket).where(HandoffTicket.conversation_id == stored.conversation_id)
        ).one()
        assert call is not None and call.called_back_at is not None and call.called_back_by_rep_id is not None
        assert ticket.state is TicketState.CLAIMED  # calling back does not close it
    assert console_axe(page) == []

    page.get_by_role("button", name="Resolve", exact=True).click()  # and leave the shared queue as it was
    expect(page.locator("#status")).to_contain_text("Resolved")
    expect(item).to_have_count(0)
    assert browser_log.csp_violations() == []
    assert not [e for e in browser_log.errors if e.startswith("pageerror")]


def test_a_recording_twilio_cannot_hand_over_says_so_instead_of_a_broken_player(
    console_page: Page, stack: RunningStack, new_client
) -> None:  # noqa: ANN001
    client = new_client()
    gone = recording_url(stack.twilio.url, "AC" + "9" * 32)  # another account's: the fake answers 404
    stored = store_call(stack.database_url, from_number=client.mobile, client_id=client.id, recording=gone)
    page = console_page
    sign_in(page)
    page.locator(f'.queue-item[data-id="{stored.conversation_id}"]').click()
    recording = page.locator("#call-recording")
    recording.locator("audio").evaluate("player => player.play().catch(() => {})")  # the rep presses play
    expect(recording).to_have_text("Recording not available: Twilio no longer has it")
    expect(recording.locator("audio")).to_have_count(0)
    page.get_by_role("button", name="Claim").click()
    page.get_by_role("button", name="Resolve", exact=True).click()
    expect(page.locator("#status")).to_contain_text("Resolved")
