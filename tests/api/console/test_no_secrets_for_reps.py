"""No rep-facing view, API response or export ever shows a live one-time link or code.

A web chat in which the bot sent a sign-in link, a card-update link and a link to the
practice's external card page, the rep pasted a link, the client pasted one back, and an
SMS conversation in which a one-time code and a long text with a link were sent, and a
phone call whose voicemail transcript holds a link (its recording comes from a fake
Twilio API).  Then every rep-facing GET route (taken from the app's route table: a new route fails here
until the walk covers it) is fetched as an admin, and no body may hold a token or the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.api.main import create_app
from assistant.api.routes import console as console_pages
from assistant.api.routes import insights_page, rep_conversations
from assistant.conversation.outbound import send_sms, send_to_client
from assistant.services import audit
from assistant.services.conversations import open_handoff
from assistant.services.insights import PANELS as INSIGHT_PANELS
from assistant.services.links import issue_link
from assistant.services.secret_masking import CODE_MASK
from assistant.services.verification_codes import code_text
from assistant.store.engine import session_scope
from assistant.store.models import (
    Author,
    Channel,
    Client,
    Conversation,
    HandoffReason,
    HandoffTicket,
    LinkPurpose,
    Message,
    Practice,
)
from tests.support.calls import recording_url, store_call
from tests.support.console import make_settings
from tests.support.fake_twilio import FakeTwilio

REP_FACING_PREFIXES = ("/api/rep", "/api/console", "/api/admin", "/console")
JORDAN_MOBILE = "+15555550123"
CODE = "738205"
LINK_SHAPES = re.compile(r"/(?:portal/sign-in|billing/update)/[A-Za-z0-9_-]{16,}|token=[A-Za-z0-9_-]{16,}")


TWILIO_ACCOUNT_SID = "AC" + "5" * 32


@dataclass
class Secrets:
    web_id: str
    sms_id: str
    tokens: list[str]
    links: list[str]
    voice_id: str = ""
    call_id: int = 0
    client_id: int = 0  # Jordan: the outreach sidebar and check-in draft


@pytest.fixture
def app(database_url: str, fake_twilio: FakeTwilio) -> Iterator[FastAPI]:
    """The console's app with Twilio configured (a fake API), so a call's recording plays."""
    settings = make_settings(
        database_url,
        twilio_account_sid=TWILIO_ACCOUNT_SID,
        twilio_auth_token="walk-auth-token",
        twilio_api_base_url=fake_twilio.url,
    )
    application = create_app(settings)
    with TestClient(application, base_url="http://localhost"):
        yield application


def _token(link: str) -> str:
    return re.split(r"[/=]", link)[-1]


def _get_routes(app: FastAPI) -> set[str]:
    """Paths of every GET route reps reach, included routers flattened or not."""
    try:
        from fastapi.routing import iter_route_contexts

        pairs = [(context.path, context.methods) for context in iter_route_contexts(app.routes)]
    except ImportError:  # FastAPI without route contexts: included routes are already flat
        pairs = [(route.path, getattr(route, "methods", None)) for route in app.routes]
    return {path for path, methods in pairs if "GET" in (methods or ()) and path.startswith(REP_FACING_PREFIXES)}


@pytest.fixture
def leaky_conversations(admin, open_handoff_chat, database_url, fake_twilio) -> Iterator[Secrets]:  # noqa: ANN001
    chat = open_handoff_chat()
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        client = session.scalars(select(Client).where(Client.first_name == "Jordan")).one()
        jordan_id = client.id
        conversation = session.get(Conversation, chat.session_id)

        def link(purpose: LinkPurpose) -> str:
            return issue_link(
                session,
                client=client,
                practice=practice,
                purpose=purpose,
                public_base_url="http://localhost",
                ttl_minutes=30,
            )

        links = [link(LinkPurpose.PORTAL_SIGN_IN), link(LinkPurpose.BILLING_UPDATE)]
        practice.billing_update_url = "https://pay.lakeside.example/card"
        links.append(link(LinkPurpose.BILLING_UPDATE))
        links += [link(LinkPurpose.PORTAL_SIGN_IN) for _ in range(4)]  # pasted by rep, client, note, audit
        links.append(link(LinkPurpose.PORTAL_SIGN_IN))  # in a voicemail's transcript
        send_to_client(
            session, conversation, f"Or sign in directly with this one-time link: {links[0]}", author=Author.BOT
        )
        send_to_client(session, conversation, f"Update your card on this secure page: {links[1]}", author=Author.BOT)
        send_to_client(session, conversation, f"Or on our payment page: {links[2]}", author=Author.BOT)
        # Defence in depth: free-form JSON that reps see.
        ticket = session.scalars(select(HandoffTicket).where(HandoffTicket.conversation_id == conversation.id)).one()
        ticket.context = {**(ticket.context or {}), "oops": links[6]}
        audit.record(
            session,
            actor="system",
            action="test_event",
            subject_type="conversation",
            subject_id=conversation.id,
            details={"link": links[6]},
        )

        sms = Conversation(practice_id=practice.id, channel=Channel.SMS, address=JORDAN_MOBILE, client_id=client.id)
        session.add(sms)
        session.flush()
        send_sms(session, practice.id, JORDAN_MOBILE, code_text(practice.name, CODE), secret=True)
        filler = " ".join(f"Step {n} usually helps you get back in." for n in range(15))
        send_to_client(
            session, sms, f"{filler}\nOr sign in with this one-time link: {links[0]}\n{filler}", author=Author.BOT
        )
        open_handoff(session, sms, HandoffReason.PORTAL_HELP)
        sms_id = sms.id

    assert admin.post(f"/api/rep/conversations/{chat.session_id}/claim").status_code == 200
    sent = admin.post(
        f"/api/rep/conversations/{chat.session_id}/messages", {"text": f"Here is a fresh one: {links[3]}"}
    )
    assert sent.status_code == 201 and _token(links[3]) not in sent.text
    assert "[one-time sign-in link sent, expires" in sent.json()["text"]
    chat.send(f"this one doesn't work {links[4]}")
    noted = admin.post(f"/api/rep/conversations/{chat.session_id}/notes", {"text": f"client has {links[5]}"})
    assert noted.status_code == 201 and _token(links[5]) not in noted.text

    # The client's own chat still carries the working link.
    own = chat.http.get(
        f"/api/chat/sessions/{chat.session_id}/messages", headers={"Authorization": f"Bearer {chat.token}"}
    ).text
    assert links[0] in own and links[3] in own
    call = store_call(
        database_url,
        from_number=JORDAN_MOBILE,
        recording=recording_url(fake_twilio.url, TWILIO_ACCOUNT_SID),
        transcript=f"Hi, the link you sent me, {links[7]}, does not open.",
    )
    yield Secrets(
        chat.session_id,
        sms_id,
        [_token(item) for item in links],
        links,
        voice_id=call.conversation_id,
        call_id=call.call_id,
        client_id=jordan_id,
    )


def _urls_for(route: str, secrets: Secrets) -> list[str]:
    conversations = (secrets.web_id, secrets.sms_id, secrets.voice_id)
    return {
        "/api/rep/me": ["/api/rep/me"],
        "/api/rep/conversations": [
            f"/api/rep/conversations?state={state}" for state in ("active", "handoff_pending", "with_rep", "resolved")
        ],
        "/api/rep/conversations/{conversation_id}": [f"/api/rep/conversations/{c}" for c in conversations],
        "/api/rep/conversations/{conversation_id}/messages": [
            f"/api/rep/conversations/{c}/messages?after=0" for c in conversations
        ],
        "/api/rep/canned-responses": ["/api/rep/canned-responses"],
        "/api/rep/calls/{call_id}/recording": [f"/api/rep/calls/{secrets.call_id}/recording"],
        "/api/rep/events": ["/api/rep/events"],
        "/api/rep/reps": ["/api/rep/reps"],
        "/api/rep/settings": ["/api/rep/settings"],
        "/api/rep/audit": ["/api/rep/audit?limit=500"],
        "/api/rep/audit.csv": ["/api/rep/audit.csv"],
        "/api/rep/insights": ["/api/rep/insights?from=2026-01-01&to=2026-12-31"],
        "/api/rep/insights/{key}.csv": [
            f"/api/rep/insights/{key}.csv?from=2026-01-01&to=2026-12-31" for key in INSIGHT_PANELS
        ],
        "/console": ["/console"],
        "/console/admin": ["/console/admin"],
        "/console/outreach": ["/console/outreach"],
        "/api/rep/outreach/settings": ["/api/rep/outreach/settings"],
        "/api/rep/outreach/dropped-off": ["/api/rep/outreach/dropped-off"],
        "/api/rep/outreach/phone-reminders": ["/api/rep/outreach/phone-reminders"],
        "/api/rep/clients/{client_id}/outreach": [f"/api/rep/clients/{secrets.client_id}/outreach"],
        "/api/rep/clients/{client_id}/outreach/checkin": [f"/api/rep/clients/{secrets.client_id}/outreach/checkin"],
        "/console/sign-in": ["/console/sign-in"],
        "/console/static/{name}": [f"/console/static/{name}" for name in console_pages.STATIC_FILES],
        "/console/static/vendor/{package}/{name}": [f"/console/static/{path}" for path in insights_page.VENDOR_FILES],
        "/console/insights": ["/console/insights"],
        "/console/practice-questions": ["/console/practice-questions"],
        "/api/rep/practice-questions": ["/api/rep/practice-questions"],
    }.get(route, [])


def test_no_rep_facing_route_shows_a_link_token_or_code(
    app: FastAPI, admin, leaky_conversations, database_url, monkeypatch
) -> None:  # noqa: ANN001
    secrets = leaky_conversations
    monkeypatch.setattr(rep_conversations, "EVENT_STREAM_SECONDS", 0.3)  # one snapshot, then the stream ends
    monkeypatch.setattr(rep_conversations, "EVENT_POLL_SECONDS", 0.05)
    routes = _get_routes(app)
    uncovered = sorted(route for route in routes if not _urls_for(route, secrets))
    assert uncovered == [], f"rep-facing GET routes the walk does not cover: {uncovered}"

    bodies: dict[str, str] = {}
    for route in sorted(routes):
        for url in _urls_for(route, secrets):
            response = admin.get(url)
            assert response.status_code == 200, (url, response.status_code)
            bodies[url] = response.text
    code = re.compile(rf"(?<![\d.]){CODE}(?!\d)")
    leaks = [(url, token[:6]) for url, body in bodies.items() for token in secrets.tokens if token in body]
    leaks += [(url, "code") for url, body in bodies.items() if code.search(body)]
    leaks += [(url, match) for url, body in bodies.items() for match in LINK_SHAPES.findall(body)]
    assert leaks == []

    # ...and the walk really saw the conversations, masked.
    web = bodies[f"/api/rep/conversations/{secrets.web_id}"]
    assert web.count("[one-time sign-in link sent, expires") >= 3  # bot, rep, client
    assert web.count("[card-update link sent, expires") == 2  # ours and the practice's page
    sms = bodies[f"/api/rep/conversations/{secrets.sms_id}"]
    assert CODE_MASK in sms and "[one-time sign-in link sent, expires" in sms
    voice = bodies[f"/api/rep/conversations/{secrets.voice_id}"]
    assert "the link you sent me, [one-time link removed], does not open" in voice
    assert "event: queue" in bodies["/api/rep/events"] and secrets.web_id in bodies["/api/rep/events"]
    assert "test_event" in bodies["/api/rep/audit.csv"] and "[one-time link removed]" in bodies["/api/rep/audit.csv"]


def test_the_store_keeps_only_masks_where_reps_read(leaky_conversations, database_url) -> None:
    """Every rep view reads `Message.text`: it must never hold a token or the code."""
    with session_scope(database_url) as session:
        texts = session.scalars(
            select(Message.text).where(
                Message.conversation_id.in_([leaky_conversations.web_id, leaky_conversations.sms_id])
            )
        ).all()
    assert len(texts) >= 8
    assert not [text for text in texts if LINK_SHAPES.search(text) or CODE in text]
