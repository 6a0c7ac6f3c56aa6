"""Hand-off to a person and back, with the real stack: the trained model decides when
to hand off, the rep API claims and answers, and the gateway routes the client's
next messages to the rep and, after resolving, to the bot again."""

from __future__ import annotations

import json
import time

import httpx
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import (
    AuditEvent,
    Author,
    Conversation,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
)
from tests.support.clients import AVERY
from tests.support.stack import RunningStack
from tests.support.stack_sms import post_text, replies_to

ONCALL = "+15555550199"
HONEST = (
    "a person will reply right here within about",
    "we're closed right now, so a person will reply",
    "a person will reply right here by",
)


def _messages(database_url: str, conversation_id: str) -> list[Message]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id))
        )


def _ticket(database_url: str, conversation_id: str) -> HandoffTicket:
    with session_scope(database_url) as session:
        return session.scalars(
            select(HandoffTicket)
            .where(HandoffTicket.conversation_id == conversation_id)
            .order_by(HandoffTicket.id.desc())
        ).first()


def test_low_confidence_web_chat_to_a_rep_and_back_to_the_bot(
    stack: RunningStack, open_chat, sign_in_rep, new_client
) -> None:
    chat = open_chat(*new_client().identity)  # like Jordan Lee
    chat.send("ok so the thing")
    handoff = chat.say("jjj kkk lll")
    assert chat.state == "handoff_pending"
    assert any(phrase in handoff for phrase in HONEST), handoff  # says when, honestly
    assert _ticket(stack.database_url, chat.session_id).reason is HandoffReason.LOW_CONFIDENCE

    rep = sign_in_rep()
    waiting = [item for item in rep.queue() if item["id"] == chat.session_id]
    assert waiting and waiting[0]["state"] == "handoff_pending"
    assert waiting[0]["ticket"]["reason"] == "low_confidence"
    detail = rep.get(f"/api/rep/conversations/{chat.session_id}").json()
    assert [m["text"] for m in detail["messages"] if m["author"] == "client"] == [
        "ok so the thing",
        "jjj kkk lll",
    ]
    assert detail["ticket"]["top_intents"] and detail["ticket"]["nlu_confidence"] is not None

    assert rep.post(f"/api/rep/conversations/{chat.session_id}/claim").status_code == 200
    sent = rep.post(
        f"/api/rep/conversations/{chat.session_id}/messages",
        {"text": "Hi Jordan, this is Casey at the front desk. How can I help?"},
    )
    assert sent.status_code == 201
    outbound = [m for m in _messages(stack.database_url, chat.session_id) if m.author is Author.REP]
    assert [(m.direction, m.text) for m in outbound] == [
        (Direction.OUTBOUND, "Hi Jordan, this is Casey at the front desk. How can I help?")
    ]

    # The client's next message goes to the rep: no bot reply, still with the rep.
    assert chat.send("i want to know about my bill") == []
    assert chat.state == "with_rep"
    last = _messages(stack.database_url, chat.session_id)[-1]
    assert (last.author, last.text, last.status) == (
        Author.CLIENT,
        "i want to know about my bill",
        MessageStatus.PROCESSED,
    )

    resolved = rep.post(f"/api/rep/conversations/{chat.session_id}/resolve", {"return_to_bot": True})
    assert resolved.status_code == 200 and resolved.json()["state"] == "bot"
    answer = chat.say("when is my next appointment?")
    assert chat.state == "bot" and "Your next session is" in answer
    assert _messages(stack.database_url, chat.session_id)[-1].author is Author.BOT


def test_crisis_mid_reschedule_jumps_the_queue_and_alerts_on_call(
    stack: RunningStack, open_chat, sign_in_rep, new_client
) -> None:
    jordan = new_client().identity
    calm = open_chat(*jordan)
    calm.send("can i talk to a real person pls")
    assert calm.state == "handoff_pending"

    chat = open_chat(*jordan)
    replies = chat.send("need to move my appointment")
    assert any(b["payload"].startswith("/choose_option") for r in replies for b in r.get("buttons", []))
    reply = chat.say("honestly i just want to kill myself")
    assert reply.index("988") < reply.index("a person")  # help first
    assert "911" in reply and chat.state == "handoff_pending"
    ticket = _ticket(stack.database_url, chat.session_id)
    assert ticket.reason is HandoffReason.CRISIS and ticket.priority == 0

    queue = sign_in_rep().queue()
    ids = [item["id"] for item in queue]
    position = ids.index(chat.session_id)
    assert all(item["ticket"]["priority"] == 0 for item in queue[: position + 1])
    assert position < ids.index(calm.session_id)

    with session_scope(stack.database_url) as session:
        (alerted,) = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "oncall_alerted", AuditEvent.subject_id == chat.session_id)
        )
        alert = session.get(Message, alerted.details["message"])
        conversation = session.get(Conversation, alert.conversation_id)
        assert conversation.address == ONCALL and alert.direction is Direction.OUTBOUND
        assert alert.text.startswith("Urgent: a client conversation needs a person now. Open the console: ")
        assert alert.text.endswith(f"{stack.url}/console")
        assert "Jordan" not in alert.text and "kill" not in alert.text
    # The outbox really sends it (to the fake Twilio API).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        "Urgent: a client conversation" in r.form["Body"] for r in stack.twilio.sent_to(ONCALL)
    ):
        time.sleep(0.2)
    assert any("Urgent: a client conversation" in r.form["Body"] for r in stack.twilio.sent_to(ONCALL))


def test_low_confidence_sms_to_a_rep_and_back(stack: RunningStack, sign_in_rep, new_client) -> None:
    avery = new_client(AVERY).mobile  # like Avery Kim: a mobile on file, no session booked
    replies_to(stack, post_text(stack, avery, "ok so the thing"))
    handoff = replies_to(stack, post_text(stack, avery, "jjj kkk lll"))
    assert handoff
    with session_scope(stack.database_url) as session:
        conversation_id = session.get(Message, handoff[0].id).conversation_id
    ticket = _ticket(stack.database_url, conversation_id)
    assert ticket.reason is HandoffReason.LOW_CONFIDENCE and ticket.state.value == "open"

    rep = sign_in_rep()
    assert rep.post(f"/api/rep/conversations/{conversation_id}/claim").status_code == 200
    sent = rep.post(
        f"/api/rep/conversations/{conversation_id}/messages",
        {"text": "Hi Avery, this is the front desk. What can I do for you?"},
    )
    assert sent.status_code == 201
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        "this is the front desk" in r.form["Body"] for r in stack.twilio.sent_to(avery)
    ):
        time.sleep(0.2)
    assert any("this is the front desk" in r.form["Body"] for r in stack.twilio.sent_to(avery))

    assert replies_to(stack, post_text(stack, avery, "ok thanks, i'll wait")) == []  # to the rep only
    assert rep.post(f"/api/rep/conversations/{conversation_id}/resolve", {"return_to_bot": True}).status_code == 200
    after = replies_to(stack, post_text(stack, avery, "hi"))
    assert after and all(m.author is Author.BOT for m in after)


def test_queue_updates_stream_live(stack: RunningStack, open_chat, sign_in_rep, new_client) -> None:
    jordan = new_client().identity
    rep = sign_in_rep()

    def next_queue(lines) -> dict:
        event = None
        for line in lines:
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == "queue":
                return json.loads(line.removeprefix("data: "))
        raise AssertionError("stream ended without a queue event")

    with rep.http.stream("GET", "/api/rep/events", timeout=httpx.Timeout(30.0)) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        first = next_queue(lines)
        chat = open_chat(*jordan)
        chat.send("can i talk to a real person pls")
        assert chat.state == "handoff_pending"
        snapshot = next_queue(lines)
        while chat.session_id not in {item["id"] for item in snapshot["queue"]}:
            snapshot = next_queue(lines)
        assert chat.session_id not in {item["id"] for item in first["queue"]}
        item = next(i for i in snapshot["queue"] if i["id"] == chat.session_id)
        # The card's one line of the client's last message, and the only message text in the queue;
        # sending it to this rep is audited (tests/api/console/test_queue_preview.py says more).
        assert item["ticket"]["reason"] == "requested"
        assert item["preview"]["text"] == "can i talk to a real person pls"
        assert json.dumps({**item, "preview": None}).count("talk to a real person") == 0
    with session_scope(stack.database_url) as session:
        previewed = session.scalars(
            select(AuditEvent.details).where(
                AuditEvent.action == "message_previewed",
                AuditEvent.actor == f"rep:{rep.rep['id']}",
                AuditEvent.subject_id == chat.session_id,
            )
        ).all()
    assert previewed == [{"message": item["preview"]["message_id"]}]
    anonymous = httpx.get(f"{stack.url}/api/rep/events", timeout=10)
    assert anonymous.status_code == 401
