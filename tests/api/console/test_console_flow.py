"""The hand-off state machine through the rep API, with the gateway in-process (Rasa down,
so every message the bot should answer is handed to a person instead)."""

from __future__ import annotations

from sqlalchemy import select

from assistant.services.conversations import open_handoff
from assistant.store.engine import session_scope
from assistant.store.models import (
    Author,
    Channel,
    Conversation,
    ConversationState,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
    Practice,
    SmsOptOut,
    TicketState,
)
from assistant.wording.catalog import text
from tests.support.console import sign_in

CRISIS_REPLY = text("crisis.reply")
SERVICE_TROUBLE = text("service.trouble")

ONCALL = "+15555550199"


def _tickets(database_url: str, conversation_id: str) -> list[HandoffTicket]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(HandoffTicket).where(HandoffTicket.conversation_id == conversation_id).order_by(HandoffTicket.id)
            )
        )


def _oncall_texts(database_url: str) -> list[Message]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(Message)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(
                    Conversation.channel == Channel.SMS,
                    Conversation.address == ONCALL,
                    Message.direction == Direction.OUTBOUND,
                )
            )
        )


def test_handoff_claim_reply_route_to_rep_and_return_to_bot(rep, open_handoff_chat, database_url) -> None:
    chat = open_handoff_chat()
    queue = rep.get("/api/rep/conversations?state=handoff_pending").json()["conversations"]
    assert [item["id"] for item in queue] == [chat.session_id]
    assert queue[0]["ticket"]["reason"] == "repeated_failure" and queue[0]["client"]["label"] == "Jordan Lee"

    claimed = rep.post(f"/api/rep/conversations/{chat.session_id}/claim")
    assert claimed.status_code == 200 and claimed.json()["state"] == "with_rep"
    assert rep.get("/api/rep/conversations?state=handoff_pending").json()["conversations"] == []

    sent = rep.post(f"/api/rep/conversations/{chat.session_id}/messages", {"text": "Hi Jordan, Casey here."})
    assert sent.status_code == 201 and sent.json()["author"] == "rep"

    # While a rep has the conversation the bot stays out: no reply, no new ticket.
    turn = chat.send("thanks, I need to move Friday")
    assert turn == {"replies": [], "state": "with_rep"}
    assert len(_tickets(database_url, chat.session_id)) == 1
    detail = rep.get(f"/api/rep/conversations/{chat.session_id}").json()
    texts = [(m["author"], m["text"]) for m in detail["messages"]]
    assert ("rep", "Hi Jordan, Casey here.") in texts and texts[-1] == ("client", "thanks, I need to move Friday")
    assert detail["permissions"]["can_reply"] and detail["ticket"]["context"] == {"bot": "unavailable"}

    newer = rep.get(f"/api/rep/conversations/{chat.session_id}/messages?after={detail['messages'][-2]['id']}")
    assert [m["text"] for m in newer.json()["messages"]] == ["thanks, I need to move Friday"]

    resolved = rep.post(f"/api/rep/conversations/{chat.session_id}/resolve", {"return_to_bot": True})
    assert resolved.status_code == 200 and resolved.json()["state"] == "bot"
    (ticket,) = _tickets(database_url, chat.session_id)
    assert ticket.state is TicketState.CLOSED and ticket.closed_by_rep_id == rep.rep["id"]

    # The next message goes to the bot again (which is down here: so it is handed off anew).
    again = chat.send("one more thing")
    assert again["replies"][0]["text"] == SERVICE_TROUBLE and again["state"] == "handoff_pending"
    assert [t.state for t in _tickets(database_url, chat.session_id)] == [TicketState.CLOSED, TicketState.OPEN]


def test_resolved_goes_back_to_the_bot_on_the_next_message(rep, open_handoff_chat) -> None:
    chat = open_handoff_chat()
    rep.post(f"/api/rep/conversations/{chat.session_id}/claim")
    resolved = rep.post(f"/api/rep/conversations/{chat.session_id}/resolve", {"return_to_bot": False})
    assert resolved.json()["state"] == "resolved"
    assert rep.post(f"/api/rep/conversations/{chat.session_id}/resolve", {}).status_code == 409
    assert chat.send("hello?")["replies"][0]["text"] == SERVICE_TROUBLE  # the bot's turn (down)


def test_only_the_claiming_rep_replies_and_resolves(rep, admin, browser, open_handoff_chat) -> None:
    chat = open_handoff_chat()
    path = f"/api/rep/conversations/{chat.session_id}"
    assert rep.post(f"{path}/messages", {"text": "too early"}).status_code == 409  # claim first
    assert rep.post(f"{path}/resolve", {"return_to_bot": True}).status_code == 409
    assert admin.post(f"{path}/claim").status_code == 200
    assert admin.post(f"{path}/claim").status_code == 200  # claiming again is harmless
    assert rep.post(f"{path}/claim").status_code == 409
    assert rep.post(f"{path}/messages", {"text": "me too"}).status_code == 403
    assert rep.post(f"{path}/resolve", {"return_to_bot": True}).status_code == 403
    note = rep.post(f"{path}/notes", {"text": "Client called the office too."})
    assert note.status_code == 201  # anyone at the practice may leave a note
    detail = admin.get(path).json()
    assert [n["text"] for n in detail["notes"]] == ["Client called the office too."]
    assert not any(m["text"] == "Client called the office too." for m in detail["messages"])
    for bad in ({"text": ""}, {"text": "   "}, {"text": "x" * 2001}, {}, {"text": "hi", "extra": 1}):
        assert admin.post(f"{path}/messages", bad).status_code == 422


def test_an_admin_may_resolve_what_another_rep_claimed(rep, admin, open_handoff_chat) -> None:
    chat = open_handoff_chat()
    rep.post(f"/api/rep/conversations/{chat.session_id}/claim")
    assert admin.post(f"/api/rep/conversations/{chat.session_id}/resolve", {"return_to_bot": True}).status_code == 200


def test_crisis_jumps_the_queue_and_texts_on_call_once(rep, open_handoff_chat, browser, database_url) -> None:
    first = open_handoff_chat()
    second = open_handoff_chat()
    http = browser()
    created = http.post("/api/chat/sessions", json={}).json()
    from tests.support.console import Chat

    crisis = Chat(http, created["session_id"], created["token"])
    reply = crisis.send("i dont want to be alive anymore")
    assert reply["replies"][0]["text"] == CRISIS_REPLY and reply["state"] == "handoff_pending"

    queue = rep.get("/api/rep/conversations").json()["conversations"]
    assert [item["id"] for item in queue] == [crisis.session_id, first.session_id, second.session_id]
    assert queue[0]["ticket"]["priority"] == 0 and queue[0]["ticket"]["reason"] == "crisis"

    (alert,) = _oncall_texts(database_url)
    assert alert.text.startswith("Urgent: a client conversation needs a person now. Open the console: ")
    assert alert.text.endswith("/console") and alert.author is Author.SYSTEM
    assert alert.status in (MessageStatus.QUEUED, MessageStatus.SENT)  # in the outbox (or already out)
    crisis.send("please, i mean it, i want to die")
    assert len(_oncall_texts(database_url)) == 1  # one alert per ticket

    # An ordinary hand-off escalated to crisis alerts too, with no client name or message in it.
    first.send("honestly i just want to kill myself")
    texts = _oncall_texts(database_url)
    assert len(texts) == 2
    assert all("Jordan" not in t.text and "kill" not in t.text and "die" not in t.text for t in texts)
    # Both urgent now; between them the one waiting longer comes first.
    queue = rep.get("/api/rep/conversations").json()["conversations"]
    assert [item["id"] for item in queue] == [first.session_id, crisis.session_id, second.session_id]
    assert [item["ticket"]["priority"] for item in queue][:2] == [0, 0]


def test_no_oncall_number_means_no_alert_and_no_failure(database_url: str) -> None:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).one()
        practice.oncall_e164 = None
        conversation = Conversation(practice_id=practice.id, channel=Channel.WEB)
        session.add(conversation)
        session.flush()
        ticket = open_handoff(session, conversation, HandoffReason.CRISIS)
        assert ticket.oncall_alerted_at is None
    assert _oncall_texts(database_url) == []


def test_canned_responses_are_filled_for_this_client(rep, open_handoff_chat) -> None:
    chat = open_handoff_chat()
    detail = rep.get(f"/api/rep/conversations/{chat.session_id}").json()
    canned = {item["title"]: item["text"] for item in detail["canned_responses"]}
    next_session = detail["client"]["next_appointment"]
    assert next_session and "by video" in next_session
    assert canned["Next session"] == f"Hi Jordan, your next session is {next_session}."
    assert canned["Greeting"].startswith("Hi Jordan, this is the front desk at Lakeside Counseling.")
    assert all("{" not in text for text in canned.values())


def test_a_rep_reply_to_a_texter_waits_in_the_sms_outbox(rep, database_url) -> None:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice)).one()
        conversation = Conversation(practice_id=practice.id, channel=Channel.SMS, address="+15555550123")
        session.add(conversation)
        session.flush()
        open_handoff(session, conversation, HandoffReason.REQUESTED)
        conversation_id = conversation.id
    rep.post(f"/api/rep/conversations/{conversation_id}/claim")
    sent = rep.post(f"/api/rep/conversations/{conversation_id}/messages", {"text": "Hi, it's the front desk."})
    assert sent.status_code == 201
    with session_scope(database_url) as session:
        message = session.get(Message, sent.json()["id"])
        # Into the SMS outbox (the in-process sender may already have sent it).
        assert message.status in (MessageStatus.QUEUED, MessageStatus.SENT)
        assert message.author is Author.REP and message.direction is Direction.OUTBOUND
        session.add(SmsOptOut(practice_id=practice.id, phone_e164="+15555550123", source="keyword", keyword="STOP"))
    opted_out = rep.post(f"/api/rep/conversations/{conversation_id}/messages", {"text": "Still there?"})
    assert opted_out.status_code == 409 and "opted out" in opted_out.json()["detail"]


def test_admin_manages_reps(admin, browser) -> None:
    weak = admin.post(
        "/api/rep/reps", {"email": "sam@lakeside.example", "display_name": "Sam", "password": "short", "role": "rep"}
    )
    assert weak.status_code == 422
    created = admin.post(
        "/api/rep/reps",
        {"email": "Sam@Lakeside.example", "display_name": "Sam", "password": "a-good-long-password", "role": "rep"},
    )
    assert created.status_code == 201 and created.json()["email"] == "sam@lakeside.example"
    duplicate = admin.post(
        "/api/rep/reps",
        {"email": "sam@lakeside.example", "display_name": "Sam", "password": "a-good-long-password", "role": "rep"},
    )
    assert duplicate.status_code == 422
    sam = sign_in(browser(), "sam@lakeside.example", "a-good-long-password")
    assert sam.rep["role"] == "rep"
    reps = admin.get("/api/rep/reps").json()["reps"]
    assert {r["email"] for r in reps} >= {"sam@lakeside.example", "frontdesk@lakeside.example"}
    me = admin.rep["id"]
    assert (
        admin.http.request(
            "PATCH", f"/api/rep/reps/{me}", json={"active": False}, headers={"X-CSRF-Token": admin.csrf}
        ).status_code
        == 422
    )  # not yourself
    assert (
        admin.http.request("DELETE", f"/api/rep/reps/{sam.rep['id']}", headers={"X-CSRF-Token": admin.csrf}).json()[
            "active"
        ]
        is False
    )
    assert sam.get("/api/rep/me").status_code == 401


def test_admin_manages_canned_responses_and_settings(admin, rep) -> None:
    created = admin.post("/api/rep/canned-responses", {"title": "Hours", "body": "We open at 9, {client_first_name}."})
    assert created.status_code == 201
    item = created.json()["id"]
    edited = admin.http.request(
        "PATCH",
        f"/api/rep/canned-responses/{item}",
        json={"title": "Hours", "body": "We open at 8, {client_first_name}."},
        headers={"X-CSRF-Token": admin.csrf},
    )
    assert edited.json()["body"] == "We open at 8, {client_first_name}."
    assert any(c["title"] == "Hours" for c in rep.get("/api/rep/canned-responses").json()["canned_responses"])
    assert (
        admin.http.request(
            "DELETE", f"/api/rep/canned-responses/{item}", headers={"X-CSRF-Token": admin.csrf}
        ).status_code
        == 200
    )

    def patch(body: dict):
        return admin.http.request("PATCH", "/api/rep/settings", json=body, headers={"X-CSRF-Token": admin.csrf})

    assert patch({"business_hours": {"mon": [["17:00", "09:00"]]}}).status_code == 422
    assert patch({"business_hours": {"funday": [["09:00", "17:00"]]}}).status_code == 422
    assert patch({"timezone": "Mars/Olympus"}).status_code == 422
    assert patch({"oncall_e164": "555-0199"}).status_code == 422
    assert patch({"response_window_minutes": 0}).status_code == 422
    saved = patch(
        {
            "business_hours": {"mon": [["08:00", "12:00"], ["13:00", "18:00"]]},
            "response_window_minutes": 30,
            "cancellation_window_hours": 48,
            "late_cancel_fee_cents": 5000,
        }
    )
    assert saved.status_code == 200
    settings = admin.get("/api/rep/settings").json()
    assert settings["business_hours"] == {"mon": [["08:00", "12:00"], ["13:00", "18:00"]]}
    assert (
        settings["response_window_minutes"],
        settings["cancellation_window_hours"],
        settings["late_cancel_fee_cents"],
    ) == (30, 48, 5000)
    assert rep.get("/api/rep/settings").status_code == 403


def test_queue_of_resolved_conversations(rep, open_handoff_chat) -> None:
    chat = open_handoff_chat()
    rep.post(f"/api/rep/conversations/{chat.session_id}/claim")
    rep.post(f"/api/rep/conversations/{chat.session_id}/resolve", {"return_to_bot": False})
    resolved = rep.get("/api/rep/conversations?state=resolved").json()["conversations"]
    assert [item["id"] for item in resolved] == [chat.session_id]
    assert resolved[0]["ticket"]["state"] == "closed"
    assert rep.get("/api/rep/conversations?state=bogus").status_code == 422


def test_the_console_page_for_a_signed_in_rep(rep) -> None:
    page = rep.get("/console")
    assert page.status_code == 200
    assert f'<meta name="csrf-token" content="{rep.csrf}">' in page.text
    assert 'src="/console/static/console.js"' in page.text and "Casey" in page.text
    assert rep.get("/console/sign-in", follow_redirects=False).headers["location"] == "/console"


def test_state_is_owned_by_the_gateway(rep, open_handoff_chat, database_url) -> None:
    chat = open_handoff_chat()
    rep.post(f"/api/rep/conversations/{chat.session_id}/claim")
    with session_scope(database_url) as session:
        assert session.get(Conversation, chat.session_id).state is ConversationState.WITH_REP
