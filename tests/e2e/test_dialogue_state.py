"""Dialogue state survives a crash of the Rasa server (its tracker store is SQL, beside the
store): a reschedule offered before `kill -9` completes with "2" then "yes" afterwards.

Runs on the session's stack (SQLite unless E2E_DATABASE_URL says otherwise) and, when
TEST_POSTGRES_URL is set, on a second stack of this module's own on a fresh PostgreSQL
database with Redis (REDIS_URL) as Rasa's lock store.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from assistant.store.engine import get_engine, session_scope
from assistant.store.models import Appointment, AppointmentStatus, utcnow
from tests.support.clients import JORDAN, create_client
from tests.support.databases import create_postgres_database, database_url, drop_postgres_database
from tests.support.fake_twilio import FakeTwilio
from tests.support.stack import ChatClient, RunningStack, running_stack
from tests.support.stack_sms import text

RASA_READY_SECONDS = 180
NY = ZoneInfo("America/New_York")
# rasa_boot/schema_cache.py prints this when Rasa first validates an action result (not
# imported: rasa_boot belongs to the Rasa environment, never to .venv).
MARKER = "rasa_boot: action-result schema validator built once for"


@pytest.fixture(scope="module")
def postgres_stack(tmp_path_factory: pytest.TempPathFactory, fake_twilio_api: FakeTwilio) -> Iterator[RunningStack]:
    """The same three processes on PostgreSQL (+ Redis when REDIS_URL is set), for this module only."""
    server_url = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if not server_url:
        pytest.skip("TEST_POSTGRES_URL is not set")
    name = create_postgres_database(server_url, prefix="e2e_dialogue")
    url = database_url(server_url, name)
    try:
        with running_stack(url, tmp_path_factory.mktemp("postgres-stack"), fake_twilio_api) as running:
            yield running
    finally:
        get_engine(url).dispose()
        drop_postgres_database(server_url, name)


@pytest.fixture(params=["stack", "postgres_stack"])
def any_stack(request: pytest.FixtureRequest) -> RunningStack:
    running: RunningStack = request.getfixturevalue(request.param)
    return running


def wait_for_rasa(stack: RunningStack) -> None:
    """Rasa answers /status once its model is loaded; wait on that, with a deadline."""
    url = f"{stack.processes.config.rasa_url}/status"
    deadline = time.monotonic() + RASA_READY_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"Rasa did not come back within {RASA_READY_SECONDS}s")


def crash_rasa(stack: RunningStack) -> None:
    stack.processes.kill("rasa")  # SIGKILL: nothing is flushed or saved on the way down
    stack.processes.wait_restarted("rasa", timeout=RASA_READY_SECONDS)  # the supervisor brings it back
    wait_for_rasa(stack)


def upcoming_session(stack: RunningStack, client_id: int) -> int:
    with session_scope(stack.database_url) as session:
        return session.scalars(
            select(Appointment.id)
            .where(Appointment.client_id == client_id, Appointment.status == AppointmentStatus.BOOKED)
            .where(Appointment.starts_at > utcnow())
        ).one()


def offered_times(replies: list[dict]) -> list[str]:
    return [
        button["title"]
        for reply in replies
        for button in reply.get("buttons", [])
        if button["payload"].startswith("/choose_option")
    ]


def open_chat(http: httpx.Client, name: str, date_of_birth: str) -> ChatClient:
    response = http.post("/api/chat/sessions", json={"name": name, "date_of_birth": date_of_birth})
    assert response.status_code == 201, response.text
    created = response.json()
    return ChatClient(http, created["session_id"], created["token"], created["verified"])


def rasa_log(stack: RunningStack) -> str:
    return (Path(stack.log_dir) / "rasa.log").read_text(errors="replace")


def test_reschedule_offered_before_rasa_is_killed_completes_after_it_restarts(any_stack: RunningStack) -> None:
    own = create_client(any_stack.database_url, JORDAN)
    original_id = upcoming_session(any_stack, own.id)
    with httpx.Client(base_url=any_stack.url, timeout=60) as http:
        chat = open_chat(http, *own.identity)
        assert chat.verified
        offer = chat.send("hey i need to reschedule my appt")
        options = offered_times(offer)
        assert len(options) >= 2, offer
        markers_before = rasa_log(any_stack).count(MARKER)

        crash_rasa(any_stack)

        confirm = chat.say("2")
        assert "Move your session" in confirm, confirm
        assert "Done!" in chat.say("yes")

    with session_scope(any_stack.database_url) as session:
        assert session.get_one(Appointment, original_id).status is AppointmentStatus.RESCHEDULED
        new = session.scalars(select(Appointment).where(Appointment.replaces_id == original_id)).one()
        assert new.status is AppointmentStatus.BOOKED
        assert new.starts_at.astimezone(NY).strftime("%-I:%M %p") in options[1]  # the second time offered
    # The restarted Rasa ran its actions through rasa_boot's cached schema validator.
    assert rasa_log(any_stack).count(MARKER) > markers_before


def test_a_reschedule_offered_by_text_survives_a_rasa_crash(any_stack: RunningStack) -> None:
    own = create_client(any_stack.database_url, JORDAN)
    original_id = upcoming_session(any_stack, own.id)
    offer = text(any_stack, own.mobile, "need to move my appointment")
    assert "1. " in offer and "Reply with a number" in offer, offer

    crash_rasa(any_stack)

    confirm = text(any_stack, own.mobile, "2")
    assert "Move your session" in confirm, confirm
    assert "Done!" in text(any_stack, own.mobile, "yes")
    with session_scope(any_stack.database_url) as session:
        assert session.get_one(Appointment, original_id).status is AppointmentStatus.RESCHEDULED
        assert session.scalars(select(Appointment).where(Appointment.replaces_id == original_id)).one()
