"""Gateway behaviour that does not depend on the dialogue model."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import (
    AuditEvent,
    Direction,
    HandoffReason,
    HandoffTicket,
    Message,
    MessageStatus,
)
from assistant.wording.catalog import text

CRISIS_REPLY = text("crisis.reply")
SERVICE_TROUBLE = text("service.trouble")


def _start(gateway: TestClient, **identity: str) -> tuple[str, dict[str, str]]:
    created = gateway.post("/api/chat/sessions", json=identity).json()
    return created["session_id"], {"Authorization": f"Bearer {created['token']}"}


def test_health_is_503_while_rasa_and_actions_are_down(gateway: TestClient) -> None:
    response = gateway.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["gateway"] == checks["database"] == "ok"
    assert checks["rasa"] == checks["action_server"] == "unavailable"


def test_message_is_kept_and_a_person_takes_over_when_the_bot_is_down(gateway, database_url) -> None:
    session_id, auth = _start(gateway)
    response = gateway.post(
        f"/api/chat/sessions/{session_id}/messages", json={"text": "can i reschedule"}, headers=auth
    )
    assert response.status_code == 200
    assert response.json() == {"replies": [{"text": SERVICE_TROUBLE, "buttons": []}], "state": "handoff_pending"}
    with session_scope(database_url) as session:
        inbound = session.scalars(select(Message).where(Message.direction == Direction.INBOUND)).one()
        assert inbound.text == "can i reschedule" and inbound.status is MessageStatus.PROCESSED
        (ticket,) = session.scalars(select(HandoffTicket)).all()
        assert ticket.reason is HandoffReason.REPEATED_FAILURE


def test_crisis_is_answered_by_the_gateway_itself_even_without_the_bot(gateway, database_url) -> None:
    session_id, auth = _start(gateway)
    body = gateway.post(
        f"/api/chat/sessions/{session_id}/messages", json={"text": "i dont want to be alive anymore"}, headers=auth
    ).json()
    assert body["replies"][0]["text"] == CRISIS_REPLY and body["state"] == "handoff_pending"
    assert "988" in CRISIS_REPLY and "911" in CRISIS_REPLY
    with session_scope(database_url) as session:
        (ticket,) = session.scalars(select(HandoffTicket)).all()
        assert ticket.reason is HandoffReason.CRISIS and ticket.priority == 0


def test_figure_of_speech_is_not_a_crisis(gateway, database_url) -> None:
    session_id, auth = _start(gateway)
    gateway.post(f"/api/chat/sessions/{session_id}/messages", json={"text": "this portal is killing me"}, headers=auth)
    with session_scope(database_url) as session:
        tickets = session.scalars(select(HandoffTicket)).all()
        assert [t.reason for t in tickets] == [HandoffReason.REPEATED_FAILURE]  # bot down, not crisis


def test_card_and_ssn_never_reach_the_database(gateway, database_url) -> None:
    session_id, auth = _start(gateway)
    body = gateway.post(
        f"/api/chat/sessions/{session_id}/messages",
        json={"text": "card 4242-4242-4242-4242 and ssn 123-45-6789"},
        headers=auth,
    ).json()
    assert "removed the card number" in body["replies"][0]["text"]
    with session_scope(database_url) as session:
        (inbound,) = session.scalars(select(Message).where(Message.direction == Direction.INBOUND)).all()
        assert "4242" not in inbound.text and "6789" not in inbound.text
        assert set(inbound.redactions) == {"card_number", "ssn"}


def test_while_waiting_for_a_person_the_bot_stays_out(gateway, database_url) -> None:
    session_id, auth = _start(gateway)
    url = f"/api/chat/sessions/{session_id}/messages"
    gateway.post(url, json={"text": "hello"}, headers=auth)  # bot down -> handoff
    body = gateway.post(url, json={"text": "hello again"}, headers=auth).json()
    assert body["state"] == "handoff_pending"
    assert "a person will reply" in body["replies"][0]["text"]


def test_prechat_identity_verifies_and_is_audited(gateway, database_url) -> None:
    created = gateway.post("/api/chat/sessions", json={"name": "jordan lee", "date_of_birth": "1990-04-12"})
    assert created.status_code == 201 and created.json()["verified"] is True
    with session_scope(database_url) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "identity_verified")).all()
        assert [e.subject_id for e in events] == [created.json()["session_id"]]


def test_responses_carry_a_request_id(gateway) -> None:
    response = gateway.post("/api/chat/sessions", json={})
    assert len(response.headers["X-Request-ID"]) == 36
