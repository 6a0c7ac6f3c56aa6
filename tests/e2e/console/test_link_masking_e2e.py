"""A one-time sign-in link, end to end on the real stack: the client gets a working link in
web chat; a rep opening the conversation (API and console page) sees it masked; opening the
link (GET, HEAD: a link preview) leaves it usable; only "Continue" (the POST) uses it."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import string

import httpx
from playwright.sync_api import Page, expect
from sqlalchemy import select

from assistant.services.links import hash_token
from assistant.store.engine import session_scope
from assistant.store.models import AccessLink, Client, Practice
from tests.support.console import REP
from tests.support.stack import RunningStack

LINK = re.compile(r"https?://\S+/portal/sign-in/([A-Za-z0-9_-]+)")
MASK = "[one-time sign-in link sent, expires"


def _new_client(database_url: str) -> tuple[str, str]:
    """A client of the demo practice that only this test uses: (full name, date of birth)."""
    last_name = "Vale" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        session.add(
            Client(
                practice_id=practice.id,
                first_name="Sam",
                last_name=last_name,
                mobile_e164=None,
                email=f"sam.{last_name.lower()}@example.com",
                date_of_birth=dt.date(1988, 2, 14),
                sms_consent=False,
            )
        )
    return f"Sam {last_name}", "1988-02-14"


def _used(database_url: str, token: str) -> bool:
    with session_scope(database_url) as session:
        link = session.scalars(select(AccessLink).where(AccessLink.token_hash == hash_token(token))).one()
        return link.used_at is not None


def _ask_for_a_portal_link(stack: RunningStack, open_chat):  # noqa: ANN001, ANN202
    chat = open_chat(*_new_client(stack.database_url))
    assert chat.verified
    reply = chat.say("i cant log into the portal")
    found = LINK.search(reply)
    assert found, reply
    return chat, found.group(0), found.group(1)


def test_reps_see_the_link_masked_and_opening_it_uses_nothing(
    stack: RunningStack, open_chat, sign_in_rep, http: httpx.Client
) -> None:
    chat, link, token = _ask_for_a_portal_link(stack, open_chat)

    # The client's own transcript keeps the working link.
    own = http.get(f"/api/chat/sessions/{chat.session_id}/messages", headers={"Authorization": f"Bearer {chat.token}"})
    assert own.status_code == 200 and link in own.text

    # A rep sees it masked, in the full conversation and in the incremental read.
    rep = sign_in_rep()
    for path in (
        f"/api/rep/conversations/{chat.session_id}",
        f"/api/rep/conversations/{chat.session_id}/messages?after=0",
    ):
        seen = rep.get(path)
        assert seen.status_code == 200
        assert token not in seen.text and MASK in seen.text

    # A link preview (GET, HEAD) uses nothing; the "Continue" POST does, once.
    path = httpx.URL(link).path
    for _ in range(2):
        opened = http.get(path)
        assert opened.status_code == 200 and "Continue" in opened.text and token not in opened.text
        assert opened.headers["cache-control"] == "no-store"
        assert opened.headers["referrer-policy"] == "no-referrer"
        assert http.head(path).status_code == 200
    assert not _used(stack.database_url, token)
    signed_in = http.post(path)
    assert signed_in.status_code == 200 and "You're signed in" in signed_in.text
    assert _used(stack.database_url, token)
    assert http.get(path).status_code == 410 and http.post(path).status_code == 410


def test_the_console_page_shows_the_link_masked(console_page: Page, stack: RunningStack, open_chat) -> None:
    chat, _link, token = _ask_for_a_portal_link(stack, open_chat)
    chat.say("still locked out of the portal, it isnt working")
    assert chat.state == "handoff_pending"

    page = console_page
    page.goto("/console")
    expect(page).to_have_url(re.compile(r"/console/sign-in$"))
    page.get_by_label("Email").fill(REP[0])
    page.get_by_label("Password").fill(REP[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/console$"))
    page.locator(f'.queue-item[data-id="{chat.session_id}"]').click()
    transcript = page.locator("#transcript")
    expect(transcript).to_contain_text(MASK)
    expect(transcript).to_contain_text("still locked out of the portal")
    assert token not in page.content()
    assert not _used(stack.database_url, token)
