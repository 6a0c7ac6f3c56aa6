"""Client verification cannot be brute-forced through the chat API: failed name+DOB checks and
wrong codes count per client across chats and addresses, codes texted to a client are capped,
and each address is throttled (429 + Retry-After).  In-process, on a fresh demo database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.api.main import create_app
from assistant.config import Settings
from assistant.services import identity_guard as guard
from assistant.services.identity_alerts import ALERT_KIND, ALERT_OPENED
from assistant.stack import free_port
from assistant.store.engine import session_scope
from assistant.store.models import (
    AuditEvent,
    Channel,
    Client,
    Conversation,
    ConversationState,
    HandoffReason,
    HandoffTicket,
    Message,
)

JORDAN = {"name": "Jordan Lee", "date_of_birth": "1990-04-12"}
JORDAN_MOBILE = "+15555550123"


@pytest.fixture
def app(database_url: str) -> Iterator[FastAPI]:
    nowhere = f"http://127.0.0.1:{free_port()}"  # no bot: identity checks need none
    # Per-address counts in this process: other tests empty the shared Redis (tests/sms) at
    # any moment; the Redis path of the limiter is tested in tests/unit/test_throttle.py.
    settings = Settings(
        assistant_env="test",
        database_url=database_url,
        rasa_url=nowhere,
        bot_outage_hold_seconds=0,
        action_server_url=nowhere,
        rasa_timeout_seconds=2,
        redis_url="",
    )
    application = create_app(settings)
    with TestClient(application):  # runs the lifespan once for every client below
        yield application


def from_address(app: FastAPI, address: str) -> TestClient:
    """A client calling from this address (request.client.host)."""
    return TestClient(app, client=(address, 40000))


def wrong_dates(count: int) -> list[str]:
    """`count` dates of birth from 1990-01-01 on, skipping Jordan's."""
    day, dates = dt.date(1990, 1, 1), []
    while len(dates) < count:
        if day.isoformat() != JORDAN["date_of_birth"]:
            dates.append(day.isoformat())
        day += dt.timedelta(days=1)
    return dates


def start(client: TestClient, **body: str) -> tuple[str, dict[str, str]]:
    response = client.post("/api/chat/sessions", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    return created["session_id"], {"Authorization": f"Bearer {created['token']}"}


def jordan_id(database_url: str) -> int:
    with session_scope(database_url) as session:
        return session.scalars(select(Client.id).where(Client.mobile_e164 == JORDAN_MOBILE)).one()


def events(database_url: str, action: str, client_id: int) -> list[AuditEvent]:
    with session_scope(database_url) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.subject_type == "client",
                    AuditEvent.subject_id == str(client_id),
                    AuditEvent.action == action,
                )
                .order_by(AuditEvent.id)
            )
        )


def code_texts(database_url: str) -> list[str]:
    """Code texts queued to Jordan's phone (the outbox), the client's own copy where kept."""
    with session_scope(database_url) as session:
        texts = session.scalars(
            select(func.coalesce(Message.client_text, Message.text))
            .join(Conversation)
            .where(Conversation.channel == Channel.SMS, Conversation.address == JORDAN_MOBILE)
            .order_by(Message.id)
        )
        return [text for text in texts if "verification code" in text]


def latest_code(database_url: str) -> str:
    match = re.search(r"\b(\d{6})\b", code_texts(database_url)[-1])
    assert match, "the code text holds no code"
    return match.group(1)


def alert_tickets(database_url: str) -> list[HandoffTicket]:
    with session_scope(database_url) as session:
        return [
            ticket
            for ticket in session.scalars(select(HandoffTicket).order_by(HandoffTicket.id))
            if (ticket.context or {}).get("alert") == ALERT_KIND
        ]


# --- Name and date of birth ---------------------------------------------------------------


def test_200_wrong_dates_of_birth_from_many_addresses_then_the_right_one_do_not_verify(
    app: FastAPI, database_url: str
) -> None:
    per_address = 10  # within each address's own limit: only the per-client count can stop this
    attempts = wrong_dates(200)
    sessions: list[str] = []
    for index in range(0, len(attempts), per_address):
        caller = from_address(app, f"203.0.113.{index // per_address + 1}")
        for date_of_birth in attempts[index : index + per_address]:
            response = caller.post("/api/chat/sessions", json={"name": "Jordan Lee", "date_of_birth": date_of_birth})
            assert response.status_code == 201, response.text
            assert response.json()["verified"] is False
            sessions.append(response.json()["session_id"])

    right = from_address(app, "198.51.100.7").post("/api/chat/sessions", json=JORDAN)
    assert right.status_code == 201 and set(right.json()) == {"session_id", "token", "verified"}
    assert right.json()["verified"] is False  # locked reads exactly like wrong

    jordan = jordan_id(database_url)
    assert len(events(database_url, guard.NAME_DOB_FAILED, jordan)) == 201
    (lock,) = events(database_url, guard.NAME_DOB_LOCKED, jordan)
    assert lock.details["failures"] == guard.NAME_DOB_MAX_FAILURES
    (ticket,) = alert_tickets(database_url)  # one ticket per cool-down, not one per failure
    assert ticket.reason is HandoffReason.VERIFICATION_FAILED
    assert ticket.context["method"] == "name_dob" and ticket.context["failures"] == guard.NAME_DOB_MAX_FAILURES
    with session_scope(database_url) as session:
        alert_conversation = session.get(Conversation, ticket.conversation_id)
        assert alert_conversation.client_id == jordan and alert_conversation.token_hash is None
        assert alert_conversation.id not in sessions + [right.json()["session_id"]]
        # What the attacker's chats show depends only on what happened in each of them.
        states = session.scalars(
            select(Conversation.state).where(Conversation.id.in_(sessions + [right.json()["session_id"]]))
        ).all()
        assert set(states) == {ConversationState.BOT}
        assert (
            session.scalar(
                select(func.count())
                .select_from(Conversation)
                .where(Conversation.client_id == jordan, Conversation.token_hash.is_not(None))
            )
            == 0
        )
        # Every failure is audited without what was tried.
        audited = session.scalars(select(AuditEvent).where(AuditEvent.action.like("identity_%"))).all()
        assert audited
        for event in audited:
            text = repr(event.details)
            assert "Jordan" not in text and "1990-" not in text


def test_while_locked_the_code_to_the_mobile_on_file_still_verifies(app: FastAPI, database_url: str) -> None:
    attacker = from_address(app, "203.0.113.50")
    for date_of_birth in wrong_dates(guard.NAME_DOB_MAX_FAILURES):
        start(attacker, name="Jordan Lee", date_of_birth=date_of_birth)
    client = from_address(app, "198.51.100.8")
    session_id, auth = start(client, **JORDAN)
    with session_scope(database_url) as session:
        assert session.get(Conversation, session_id).client_id is None  # name+DOB is locked
    url = f"/api/chat/sessions/{session_id}/verify"
    assert client.post(f"{url}/code-request", json=JORDAN, headers=auth).status_code == 202
    result = client.post(f"{url}/code", json={"code": latest_code(database_url)}, headers=auth).json()
    assert result["verified"] is True and result["state"] == "bot"


def test_a_few_typos_do_not_lock_the_client_out(app: FastAPI, database_url: str) -> None:
    client = from_address(app, "198.51.100.9")
    for date_of_birth in wrong_dates(guard.NAME_DOB_MAX_FAILURES - 1):
        start(client, name="Jordan Lee", date_of_birth=date_of_birth)
    response = client.post("/api/chat/sessions", json=JORDAN)
    assert response.json()["verified"] is True
    assert alert_tickets(database_url) == []


def test_failures_for_one_client_do_not_lock_another(app: FastAPI, database_url: str) -> None:
    for index, date_of_birth in enumerate(wrong_dates(guard.NAME_DOB_MAX_FAILURES)):
        start(from_address(app, f"203.0.113.{100 + index}"), name="Jordan Lee", date_of_birth=date_of_birth)
    priya = from_address(app, "198.51.100.10").post(
        "/api/chat/sessions", json={"name": "Priya Shah", "date_of_birth": "1985-09-30"}
    )
    assert priya.json()["verified"] is True


def test_one_address_is_throttled_with_retry_after(app: FastAPI, database_url: str) -> None:
    caller = from_address(app, "203.0.113.200")
    answers = [
        caller.post("/api/chat/sessions", json={"name": "Jordan Lee", "date_of_birth": date_of_birth})
        for date_of_birth in wrong_dates(200)
    ]
    statuses = [answer.status_code for answer in answers]
    allowed = statuses.index(429)
    assert statuses[:allowed] == [201] * allowed and set(statuses[allowed:]) == {429}
    assert allowed == guard.SOURCE_FAILURE_LIMITS[0].amount
    throttled = answers[allowed]
    assert 0 < int(throttled.headers["Retry-After"]) <= 60
    assert "too many identity checks" in throttled.json()["detail"]
    right = caller.post("/api/chat/sessions", json=JORDAN)
    assert right.status_code == 429  # no session, so nothing verified
    # The same address may still chat without details; another address is not affected.
    assert caller.post("/api/chat/sessions", json={}).status_code == 201
    assert from_address(app, "198.51.100.11").post("/api/chat/sessions", json=JORDAN).json()["verified"] is False
    # (Jordan is locked by now: 10 failures; the per-client lock holds across addresses.)
    with session_scope(database_url) as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(Conversation)
                .where(Conversation.client_id.is_not(None), Conversation.token_hash.is_not(None))
            )
            == 0
        )


def test_wrong_codes_are_throttled_per_address(app: FastAPI) -> None:
    caller = from_address(app, "203.0.113.201")
    statuses = []
    for _ in range(3):  # three chats, five wrong codes each (each chat then hands off)
        session_id, auth = start(caller)
        for _ in range(5):
            statuses.append(
                caller.post(
                    f"/api/chat/sessions/{session_id}/verify/code", json={"code": "000000"}, headers=auth
                ).status_code
            )
    assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}


# --- One-time codes -----------------------------------------------------------------------


def test_codes_texted_to_one_client_are_capped_across_chats_and_addresses(app: FastAPI, database_url: str) -> None:
    answers = []
    for index in range(4):  # four throwaway chats, each asking for its three codes
        caller = from_address(app, f"203.0.113.{10 + index}")
        session_id, auth = start(caller)
        for _ in range(3):
            answers.append(
                caller.post(f"/api/chat/sessions/{session_id}/verify/code-request", json=JORDAN, headers=auth)
            )
    assert {answer.status_code for answer in answers} == {202}
    assert len({answer.text for answer in answers}) == 1  # over the cap reads the same
    assert len(code_texts(database_url)) == guard.CODE_TEXTS_PER_HOUR
    jordan = jordan_id(database_url)
    assert len(events(database_url, guard.CODE_SENT, jordan)) == guard.CODE_TEXTS_PER_HOUR
    withheld = events(database_url, guard.CODE_WITHHELD, jordan)
    assert len(withheld) == 12 - guard.CODE_TEXTS_PER_HOUR
    assert {event.details["reason"] for event in withheld} == {"hourly_cap"}


def test_code_requests_are_throttled_per_address(app: FastAPI, database_url: str) -> None:
    caller = from_address(app, "203.0.113.202")
    statuses = []
    for _ in range(3):
        session_id, auth = start(caller)
        for _ in range(3):
            statuses.append(
                caller.post(
                    f"/api/chat/sessions/{session_id}/verify/code-request",
                    json={"name": "No Body", "date_of_birth": "1990-01-01"},
                    headers=auth,
                )
            )
    codes = [response.status_code for response in statuses]
    limit = guard.SOURCE_CODE_REQUEST_LIMITS[0].amount
    assert codes[:limit] == [202] * limit and set(codes[limit:]) == {429}
    assert int(statuses[limit].headers["Retry-After"]) > 0
    assert "too many code requests" in statuses[limit].json()["detail"]


def test_wrong_codes_count_per_client_and_then_even_the_right_code_fails(app: FastAPI, database_url: str) -> None:
    # Three chats from three addresses, one code each (the hourly cap), 10 wrong codes in all.
    chats = []
    for index, wrong in enumerate((5, 4, 1)):
        caller = from_address(app, f"203.0.113.{30 + index}")
        session_id, auth = start(caller)
        url = f"/api/chat/sessions/{session_id}/verify"
        assert caller.post(f"{url}/code-request", json=JORDAN, headers=auth).status_code == 202
        code = latest_code(database_url)
        for _ in range(wrong):
            caller.post(f"{url}/code", json={"code": f"{(int(code) + 1) % 10**6:06d}"}, headers=auth)
        chats.append((caller, url, auth, code))
    assert len(code_texts(database_url)) == 3
    jordan = jordan_id(database_url)
    assert len(events(database_url, guard.CODE_FAILED, jordan)) == guard.CODE_MAX_WRONG
    assert len(events(database_url, guard.CODE_LOCKED, jordan)) == 1

    caller, url, auth, code = chats[2]  # the last chat's own, unexpired, right code
    result = caller.post(f"{url}/code", json={"code": code}, headers=auth).json()
    assert result == {"verified": False, "error": "wrong_code", "attempts_left": 3, "state": "bot"}
    (ticket,) = alert_tickets(database_url)
    assert ticket.context["method"] == "sms_code"
    with session_scope(database_url) as session:
        assert session.get(Conversation, ticket.conversation_id).token_hash is None
    # While codes are locked, no new code is texted either, and the answer is the same.
    session_id, new_auth = start(from_address(app, "203.0.113.40"))
    response = from_address(app, "203.0.113.40").post(
        f"/api/chat/sessions/{session_id}/verify/code-request", json=JORDAN, headers=new_auth
    )
    assert response.status_code == 202
    assert len(code_texts(database_url)) == 3
    assert events(database_url, guard.CODE_WITHHELD, jordan)[-1].details["reason"] == "codes_locked"


def test_locks_open_one_alert_ticket_while_it_is_open(app: FastAPI, database_url: str) -> None:
    jordan = jordan_id(database_url)
    attacker = from_address(app, "203.0.113.60")
    for date_of_birth in wrong_dates(guard.NAME_DOB_MAX_FAILURES):
        start(attacker, name="Jordan Lee", date_of_birth=date_of_birth)
    assert len(events(database_url, ALERT_OPENED, jordan)) == 1
    assert len(alert_tickets(database_url)) == 1


def test_the_alert_tells_the_rep_what_happened_and_cannot_be_replied_to(app: FastAPI, database_url: str) -> None:
    from assistant.services import console as console_ops
    from assistant.store.models import Author, Rep

    caller = from_address(app, "203.0.113.200")
    for date_of_birth in wrong_dates(guard.NAME_DOB_MAX_FAILURES):
        assert (
            caller.post("/api/chat/sessions", json={"name": "Jordan Lee", "date_of_birth": date_of_birth}).status_code
            == 201
        )
    (ticket,) = alert_tickets(database_url)
    with session_scope(database_url) as session:
        lines = session.scalars(select(Message).where(Message.conversation_id == ticket.conversation_id)).all()
        assert [line.author for line in lines] == [Author.SYSTEM]
        assert lines[0].text.startswith(
            f"Security alert: {guard.NAME_DOB_MAX_FAILURES} failed name and date-of-birth checks"
        )
        assert "1990-" not in lines[0].text and "Jordan" not in lines[0].text
        rep = session.scalars(select(Rep).order_by(Rep.id)).first()
        assert rep is not None
        conversation = session.get(Conversation, ticket.conversation_id)
        assert conversation is not None
        console_ops.claim(session, conversation, rep)
        with pytest.raises(console_ops.Conflict, match="nobody can read a reply here"):
            console_ops.reply(session, conversation, rep, "hello?")
