"""The queue's one-line preview of the client's last message (issue 14, point 5), and its audit.

A preview is a read of a client's words: the queue shows it, and the audit log then says so
(`message_previewed`, subject the conversation, details the message), once per rep and
message however often the live queue lists it again; a newer client message is a new event.
The text is the transcript's own (card numbers and one-time links already masked).
Each test runs on SQLite and, with TEST_POSTGRES_URL, on PostgreSQL (whose row lock keeps two
racing queue responses of one rep from both writing the event)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from assistant.conversation.outbound import send_sms
from assistant.services import console_previews
from assistant.services.audit_labels import action_label
from assistant.services.conversations import open_handoff
from assistant.services.links import issue_link
from assistant.services.verification_codes import code_text
from assistant.store.engine import get_engine, session_scope
from assistant.store.models import (
    AuditEvent,
    Author,
    Channel,
    Client,
    Conversation,
    Direction,
    HandoffReason,
    LinkPurpose,
    Message,
    MessageStatus,
    Practice,
)
from tests.support import backends
from tests.support.console import Chat, Signed

database_url = backends.database_url
postgres_demo_template = backends.postgres_demo_template

CODE = "518034"


def _add_message(session: Session, conversation: Conversation, author: Author, words: str) -> None:
    """A stored message as the pipeline leaves it: a client's received and processed, the bot's sent."""
    client = author is Author.CLIENT
    session.add(
        Message(
            conversation_id=conversation.id,
            direction=Direction.INBOUND if client else Direction.OUTBOUND,
            author=author,
            text=words,
            status=MessageStatus.PROCESSED if client else MessageStatus.SENT,
        )
    )


def _card(queue: dict, conversation_id: str) -> dict:
    [card] = [item for item in queue["conversations"] if item["id"] == conversation_id]
    return card


def _previewed(database_url: str, conversation_id: str) -> list[tuple[str, dict | None]]:
    with session_scope(database_url) as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.details)
            .where(
                AuditEvent.action == "message_previewed",
                AuditEvent.subject_type == "conversation",
                AuditEvent.subject_id == conversation_id,
            )
            .order_by(AuditEvent.id)
        ).all()
    return [(actor, details) for actor, details in rows]


def _client_message_ids(database_url: str, conversation_id: str) -> list[int]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(Message.id)
                .where(Message.conversation_id == conversation_id, Message.author == Author.CLIENT)
                .order_by(Message.id)
            )
        )


def test_the_queue_shows_the_last_client_message_and_the_audit_log_says_so(
    rep: Signed, admin: Signed, open_handoff_chat: Callable[[], Chat], database_url: str
) -> None:
    chat = open_handoff_chat()
    response = rep.get("/api/rep/conversations")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    card = _card(response.json(), chat.session_id)
    [message_id] = _client_message_ids(database_url, chat.session_id)
    assert card["preview"] == {"message_id": message_id, "text": "hello, can you help"}
    assert _previewed(database_url, chat.session_id) == [(f"rep:{rep.rep['id']}", {"message": message_id})]
    # The audit page says it in words, for this rep and this conversation.
    events = admin.get("/api/rep/audit").json()["events"]
    [event] = [e for e in events if e["action"] == "message_previewed"]
    assert event["subject_id"] == chat.session_id and event["actor"] == f"rep:{rep.rep['id']}"
    assert event["action_label"] == action_label("message_previewed") == "Saw a message preview"


def test_listing_again_writes_no_second_event_and_a_new_client_message_writes_one(
    rep: Signed, admin: Signed, open_handoff_chat: Callable[[], Chat], database_url: str
) -> None:
    chat = open_handoff_chat()
    for _ in range(3):  # the live queue refreshes: the same preview, listed again and again
        assert _card(rep.get("/api/rep/conversations").json(), chat.session_id)["preview"] is not None
    rep_actor = f"rep:{rep.rep['id']}"
    assert [actor for actor, _ in _previewed(database_url, chat.session_id)] == [rep_actor]

    chat.send("are you   there?\n\nstill waiting")
    card = _card(rep.get("/api/rep/conversations").json(), chat.session_id)
    assert card["preview"]["text"] == "are you there? still waiting"  # one line
    rep.get("/api/rep/conversations")
    first, second = _client_message_ids(database_url, chat.session_id)
    assert _previewed(database_url, chat.session_id) == [
        (rep_actor, {"message": first}),
        (rep_actor, {"message": second}),
    ]
    # Another rep seeing the same preview is their own event.
    admin.get("/api/rep/conversations")
    assert [actor for actor, _ in _previewed(database_url, chat.session_id)] == [
        rep_actor,
        rep_actor,
        f"rep:{admin.rep['id']}",
    ]


def test_the_live_queue_stream_audits_its_previews_once(
    rep: Signed, open_handoff_chat: Callable[[], Chat], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.api.routes import rep_conversations

    monkeypatch.setattr(rep_conversations, "EVENT_STREAM_SECONDS", 0.3)  # a few polls, then the stream ends
    monkeypatch.setattr(rep_conversations, "EVENT_POLL_SECONDS", 0.05)
    chat = open_handoff_chat()
    for _ in range(2):
        stream = rep.get("/api/rep/events").text
        assert "event: queue" in stream and "hello, can you help" in stream
    [message_id] = _client_message_ids(database_url, chat.session_id)
    assert _previewed(database_url, chat.session_id) == [(f"rep:{rep.rep['id']}", {"message": message_id})]


def test_a_card_number_is_masked_and_a_one_time_link_or_code_never_shows(
    rep: Signed, open_handoff_chat: Callable[[], Chat], database_url: str
) -> None:
    chat = open_handoff_chat()
    chat.send("my card is 4242 4242 4242 4242 please charge it")
    card = _card(rep.get("/api/rep/conversations").json(), chat.session_id)
    assert card["preview"]["text"] == "my card is [card number removed] please charge it"

    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        client = session.scalars(select(Client).where(Client.first_name == "Jordan")).one()
        link = issue_link(
            session,
            client=client,
            practice=practice,
            purpose=LinkPurpose.PORTAL_SIGN_IN,
            public_base_url="http://localhost",
            ttl_minutes=30,
        )
        # A texting conversation: the client wrote, then was sent a one-time code.
        sms = Conversation(practice_id=practice.id, channel=Channel.SMS, address="+15555550123", client_id=client.id)
        session.add(sms)
        session.flush()
        _add_message(session, sms, Author.CLIENT, "please text me a code")
        send_sms(session, practice.id, "+15555550123", code_text(practice.name, CODE), secret=True)
        open_handoff(session, sms, HandoffReason.PORTAL_HELP)
        sms_id = sms.id
    token = link.rsplit("/", 1)[-1]
    chat.send(f"this link does not open {link}")
    body = rep.get("/api/rep/conversations")
    assert token not in body.text and CODE not in body.text
    web = _card(body.json(), chat.session_id)["preview"]["text"]
    assert web.startswith("this link does not open [one-time sign-in link sent, expires")
    assert _card(body.json(), sms_id)["preview"]["text"] == "please text me a code"


def test_no_client_message_no_preview_and_no_event(rep: Signed, database_url: str) -> None:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        call = Conversation(practice_id=practice.id, channel=Channel.VOICE, address="+15555550199")
        session.add(call)
        session.flush()
        _add_message(session, call, Author.BOT, "Let me put you through to the front desk.")
        open_handoff(session, call, HandoffReason.CALLBACK)
        call_id = call.id
    card = _card(rep.get("/api/rep/conversations").json(), call_id)
    assert card["preview"] is None and card["ticket"]["reason"] == "callback"
    assert _previewed(database_url, call_id) == []


def test_another_practices_tickets_never_appear(rep: Signed, other_practice, database_url: str) -> None:  # noqa: ANN001
    with session_scope(database_url) as session:
        elsewhere = session.get(Conversation, other_practice.conversation_id)
        assert elsewhere is not None
        _add_message(session, elsewhere, Author.CLIENT, "a secret from elsewhere")
        open_handoff(session, elsewhere, HandoffReason.REQUESTED)
    mine = rep.get("/api/rep/conversations")
    assert other_practice.conversation_id not in mine.text and "a secret from elsewhere" not in mine.text
    theirs = other_practice.signed.get("/api/rep/conversations").json()
    assert _card(theirs, other_practice.conversation_id)["preview"]["text"] == "a secret from elsewhere"
    assert [actor for actor, _ in _previewed(database_url, other_practice.conversation_id)] == [
        f"rep:{other_practice.signed.rep['id']}"
    ]


def test_two_racing_queue_responses_of_one_rep_write_one_event(
    rep: Signed, open_handoff_chat: Callable[[], Chat], database_url: str
) -> None:
    """The page's first load and its event stream start together: the second waits for the
    first's lock on the rep's row, then finds its event and writes none.  (On SQLite writers
    already queue on BEGIN IMMEDIATE, store/engine.py; there is nothing of ours to race.)"""
    engine = get_engine(database_url)
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every writer itself (BEGIN IMMEDIATE)")
    chat = open_handoff_chat()
    [message_id] = _client_message_ids(database_url, chat.session_id)
    pending = {chat.session_id: message_id}
    rep_id = rep.rep["id"]
    second_wrote: list[int] = []

    def second() -> None:
        with session_scope(database_url) as session:
            second_wrote.append(console_previews.record_previews(session, rep_id, pending))

    racer = threading.Thread(target=second)
    with session_scope(database_url) as first:
        assert console_previews.record_previews(first, rep_id, pending) == 1
        first.flush()  # the first's event is written, not yet committed, and the rep's row locked
        racer.start()
        _wait_until_waiting_on_a_lock(database_url, racer)
    racer.join(timeout=30)
    assert not racer.is_alive() and second_wrote == [0]
    assert len(_previewed(database_url, chat.session_id)) == 1


# (pg_stat_activity, not pg_locks: a wait on another transaction's row lock has no database there.)
WAITING_ON_A_LOCK = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


def _wait_until_waiting_on_a_lock(database_url: str, racer: threading.Thread) -> None:
    """Until the racing unit of work waits on a lock in this test's database (a condition with
    a deadline, never a sleep); it must not get past without one."""
    engine = get_engine(database_url)
    for _ in range(1000):
        with engine.connect() as connection:
            if connection.execute(WAITING_ON_A_LOCK).scalar_one() > 0:
                return
        racer.join(timeout=0.01)  # the deadline's step, ended early if the racer finishes
        assert racer.is_alive(), "the racing response did not wait for the first"
    raise AssertionError("the racing response never waited for the first")


def test_a_preview_is_one_line_cut_at_a_word_near_90_characters() -> None:
    words = "word " * 40
    cut = console_previews.one_line(f"  first\tline\r\n\nsecond   line {words}")
    assert cut is not None and cut.startswith("first line second line word word")
    assert cut.endswith("word…") and len(cut) <= console_previews.PREVIEW_LENGTH + 1
    assert console_previews.one_line("short, as written") == "short, as written"
    assert console_previews.one_line(" \n\t ") is None  # nothing written: no preview
    pasted = "see " + "x" * 200  # one long word: cut inside it rather than showing only "see"
    assert console_previews.one_line(pasted) == pasted[: console_previews.PREVIEW_LENGTH] + "…"
    ends_on_a_comma = ("a" * 40 + " ") * 2 + "b, " + "c" * 30
    assert console_previews.one_line(ends_on_a_comma) == ("a" * 40 + " ") * 2 + "b…"
