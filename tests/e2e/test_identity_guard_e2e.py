"""Brute-forcing client verification through the real running stack: 200 wrong dates of birth
and then the right one do not verify a chat (neither up front nor in the chat itself), codes
texted to one client are capped however many chats ask, and wrong codes count per client.

Each test makes its own clients (random names and numbers) in the stack's database, so the
demo clients other tests use are never locked, and calls from random loopback addresses
(127.x.y.z), so the per-address limits of 127.0.0.1, which the other tests use, stay untouched.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect
from sqlalchemy import select

from assistant.services import identity_guard as guard
from assistant.services.identity_alerts import ALERT_KIND
from assistant.store.engine import session_scope
from assistant.store.models import (
    Channel,
    Conversation,
    ConversationState,
    Direction,
    HandoffTicket,
    Message,
)
from tests.support.clients import OwnClient, create_client
from tests.support.stack import RunningStack


def identity(own: OwnClient, date_of_birth: dt.date | None = None) -> dict[str, str]:
    """The chat API's name + date of birth for this client (another date of birth if given)."""
    return {"name": own.name, "date_of_birth": (date_of_birth or own.date_of_birth).isoformat()}


@pytest.fixture
def callers(stack: RunningStack) -> Iterator:
    """HTTP clients calling the gateway from fresh random loopback addresses."""
    opened: list[httpx.Client] = []

    def _new() -> httpx.Client:
        address = f"127.{secrets.randbelow(254) + 1}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"
        client = httpx.Client(base_url=stack.url, timeout=60, transport=httpx.HTTPTransport(local_address=address))
        opened.append(client)
        return client

    yield _new
    for client in opened:
        client.close()


def wrong_dates(own: OwnClient, count: int) -> list[dt.date]:
    start = own.date_of_birth - dt.timedelta(days=count // 2)
    dates = [start + dt.timedelta(days=n) for n in range(count + 1)]
    return [day for day in dates if day != own.date_of_birth][:count]


def start(caller: httpx.Client, body: dict[str, str] | None = None) -> dict:
    response = caller.post("/api/chat/sessions", json=body or {})
    assert response.status_code == 201, response.text
    return response.json()


def code_messages(stack: RunningStack, own: OwnClient) -> list[Message]:
    """The outbox rows texted to this client's phone."""
    with session_scope(stack.database_url) as session:
        return list(
            session.scalars(
                select(Message)
                .join(Conversation)
                .where(
                    Conversation.channel == Channel.SMS,
                    Conversation.address == own.mobile,
                    Message.direction == Direction.OUTBOUND,
                )
                .order_by(Message.id)
            )
        )


def wait_for_texts(stack: RunningStack, own: OwnClient, count: int, timeout: float = 60) -> list[str]:
    """The bodies the fake Twilio API received for this phone, once there are `count`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        bodies = [request.form["Body"] for request in stack.twilio.sent_to(own.mobile)]
        if len(bodies) >= count:
            return bodies
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} texts reached the phone in time")


def the_code(body: str) -> str:
    match = re.search(r"\b(\d{6})\b", body)
    assert match, "the text holds no code"
    return match.group(1)


def alert_tickets(stack: RunningStack, own: OwnClient) -> list[HandoffTicket]:
    with session_scope(stack.database_url) as session:
        return [
            ticket
            for ticket in session.scalars(
                select(HandoffTicket).join(Conversation).where(Conversation.client_id == own.id)
            )
            if (ticket.context or {}).get("alert") == ALERT_KIND
        ]


def test_200_wrong_dates_of_birth_then_the_right_one_do_not_verify(stack: RunningStack, callers, open_chat) -> None:
    own, control = create_client(stack.database_url), create_client(stack.database_url)
    assert start(callers(), identity(control))["verified"] is True  # right details do verify
    per_address = guard.SOURCE_FAILURE_LIMITS[0].amount  # what one address may try in a minute
    attempts = wrong_dates(own, 200)
    for index in range(0, len(attempts), per_address):
        caller = callers()
        for date_of_birth in attempts[index : index + per_address]:
            assert start(caller, identity(own, date_of_birth))["verified"] is False

    assert start(callers(), identity(own))["verified"] is False  # the right details, now locked

    # One address alone is throttled long before 200 tries.
    caller = callers()
    statuses = [
        caller.post("/api/chat/sessions", json=identity(own, day)).status_code for day in attempts[: per_address + 1]
    ]
    assert statuses == [201] * per_address + [429]
    throttled = caller.post("/api/chat/sessions", json=identity(own))
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0

    # In the chat itself (Rasa and the action server): the right details read as wrong too.
    # (A chat without details and its messages are not identity attempts of any address.)
    chat = open_chat()
    assert "full name" in chat.say("when is my next appointment")
    assert "date of birth" in chat.say(own.name)
    reply = chat.say(own.date_of_birth.strftime("%m/%d/%Y"))
    assert "don't match" in reply and "code texted" in reply and "you're verified" not in reply
    assert chat.state == "bot"

    with session_scope(stack.database_url) as session:
        verified = session.scalars(
            select(Conversation).where(Conversation.client_id == own.id, Conversation.token_hash.is_not(None))
        ).all()
        assert verified == []  # no chat was verified as this client
    (ticket,) = alert_tickets(stack, own)  # one ticket, so a person knows
    assert ticket.context["method"] == "name_dob"


def test_code_texts_to_one_client_are_capped_however_many_chats_ask(stack: RunningStack, callers) -> None:
    own = create_client(stack.database_url)
    answers = []
    for _ in range(4):  # four throwaway chats from four addresses, three requests each
        caller = callers()
        created = start(caller)
        auth = {"Authorization": f"Bearer {created['token']}"}
        for _ in range(3):
            answers.append(
                caller.post(
                    f"/api/chat/sessions/{created['session_id']}/verify/code-request", json=identity(own), headers=auth
                )
            )
    assert {answer.status_code for answer in answers} == {202}
    assert len({answer.text for answer in answers}) == 1
    assert len(code_messages(stack, own)) == guard.CODE_TEXTS_PER_HOUR
    # Once the outbox has sent them, exactly that many reached the phone.
    assert len(wait_for_texts(stack, own, guard.CODE_TEXTS_PER_HOUR)) == guard.CODE_TEXTS_PER_HOUR
    deadline = time.monotonic() + 60
    while any(message.external_id is None for message in code_messages(stack, own)):
        assert time.monotonic() < deadline, "the outbox did not send the codes"
        time.sleep(0.1)
    assert len(stack.twilio.sent_to(own.mobile)) == guard.CODE_TEXTS_PER_HOUR


def test_wrong_codes_count_per_client_across_chats(stack: RunningStack, callers) -> None:
    own = create_client(stack.database_url)
    chats = []
    for number in range(1, 4):  # three chats, three addresses, one code each
        caller = callers()
        created = start(caller)
        auth = {"Authorization": f"Bearer {created['token']}"}
        url = f"/api/chat/sessions/{created['session_id']}/verify"
        assert caller.post(f"{url}/code-request", json=identity(own), headers=auth).status_code == 202
        chats.append((caller, url, auth, the_code(wait_for_texts(stack, own, number)[-1]), created["session_id"]))
    for caller, url, auth, code, _ in chats[:2]:  # ten wrong codes in two chats
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        for _ in range(5):
            caller.post(f"{url}/code", json={"code": wrong}, headers=auth)
    caller, url, auth, code, session_id = chats[2]
    result = caller.post(f"{url}/code", json={"code": code}, headers=auth).json()
    assert result == {"verified": False, "error": "wrong_code", "attempts_left": 4, "state": "bot"}
    with session_scope(stack.database_url) as session:
        assert session.get(Conversation, session_id).client_id is None
        assert session.get(Conversation, session_id).state is ConversationState.BOT
    (ticket,) = alert_tickets(stack, own)
    assert ticket.context["method"] == "sms_code"


# --- The widget ---------------------------------------------------------------------------

PATIENCE = 30_000  # ms: the bot runs a real model on small machines; waits are on conditions


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-US", timezone_id="America/New_York")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors  # the widget never breaks


def open_widget(page: Page, stack: RunningStack) -> None:
    page.goto(stack.url + "/")
    launcher = page.locator(".fd-launcher")
    expect(launcher).to_be_visible(timeout=PATIENCE)
    launcher.click()
    expect(page.locator("#fd-name")).to_be_visible(timeout=PATIENCE)


def test_the_widget_says_kindly_when_this_connection_is_throttled(stack: RunningStack, page: Page) -> None:
    # The gateway's answer for a throttled address, without using up 127.0.0.1's real budget.
    def throttled(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        route.fulfill(
            status=429,
            headers={"Retry-After": "60"},
            content_type="application/json",
            body='{"detail": "too many identity checks from this address"}',
        )

    page.route("**/api/chat/sessions", throttled)
    open_widget(page, stack)
    page.locator("#fd-name").fill("Rowan Vale")
    page.locator("#fd-dob").fill("1990-01-01")
    page.get_by_role("button", name="Start chat").click()
    error = page.locator(".fd-prechat .fd-error")
    expect(error).to_contain_text("too many tries", timeout=PATIENCE)
    expect(error).to_contain_text("continue for general questions")
    expect(page.locator("#fd-name")).to_be_visible()  # still usable: nothing broke


def test_a_locked_out_client_gets_in_with_a_code_from_the_widget(stack: RunningStack, callers, page: Page) -> None:
    own = create_client(stack.database_url)
    attacker = callers()
    for day in wrong_dates(own, guard.NAME_DOB_MAX_FAILURES):
        start(attacker, identity(own, day))
    open_widget(page, stack)
    page.locator("#fd-name").fill(own.name)
    page.locator("#fd-dob").fill(own.date_of_birth.isoformat())
    page.get_by_role("button", name="Start chat").click()
    expect(page.locator(".fd-note").last).to_contain_text("We couldn't confirm those details", timeout=PATIENCE)
    expect(page.locator(".fd-note").last).to_contain_text("text a code to your mobile")
    page.get_by_role("button", name="Text a code to my mobile").click()
    expect(page.locator("#fd-code")).to_be_visible(timeout=PATIENCE)
    page.locator("#fd-code").fill(the_code(wait_for_texts(stack, own, 1)[-1]))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".fd-note").last).to_have_text(
        "Thanks, you're verified. How can I help today?", timeout=PATIENCE
    )
