"""A client's outreach in the console sidebar: the controls (pause, do not contact,
discharged, cadence, time zone), the history of outreach texts, and marking a past session
a no-show, which re-plans the client's outreach at once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from assistant.services import outreach
from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Author,
    Channel,
    Client,
    Conversation,
    Direction,
    Message,
    MessageStatus,
    Modality,
    OutreachJob,
    OutreachKind,
    OutreachState,
    utcnow,
)
from tests.support.clients import AVERY, JORDAN, create_client
from tests.support.console import Signed


def patch(who: Signed, client_id: int, body: dict) -> tuple[int, dict]:
    response = who.http.patch(f"/api/rep/clients/{client_id}/outreach", json=body, headers={"X-CSRF-Token": who.csrf})
    return response.status_code, response.json()


def last_audit(database_url: str, action: str) -> AuditEvent | None:
    with session_scope(database_url) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
        ).first()
        if event is not None:
            session.expunge(event)
        return event


def booked(database_url: str, client_id: int, starts_at: dt.datetime, status=AppointmentStatus.BOOKED) -> int:
    with session_scope(database_url) as session:
        client = session.get_one(Client, client_id)
        appointment = Appointment(
            practice_id=client.practice_id,
            client_id=client.id,
            clinician_id=client.primary_clinician_id,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=50),
            modality=Modality.IN_PERSON,
            status=status,
        )
        session.add(appointment)
        session.flush()
        return appointment.id


def test_controls_change_are_stored_audited_and_read_back(rep: Signed, database_url: str) -> None:
    client = create_client(database_url, JORDAN)
    status, body = patch(rep, client.id, {"paused": True, "cadence": "biweekly", "timezone": "America/Los_Angeles"})
    assert status == 200, body
    assert body["paused"] and body["paused_at"] and body["cadence"] == "biweekly"
    assert body["timezone"] == "America/Los_Angeles" and not body["do_not_contact"] and not body["discharged"]
    with session_scope(database_url) as session:
        row = session.get_one(Client, client.id)
        assert (row.session_cadence_days, row.timezone, row.outreach_paused_at is not None) == (
            14,
            "America/Los_Angeles",
            True,
        )
    event = last_audit(database_url, "client_outreach_updated")
    assert event is not None and event.subject_id == str(client.id) and event.actor == f"rep:{rep.rep['id']}"
    assert event.details == {"paused": True, "cadence": "biweekly", "timezone": "America/Los_Angeles"}
    status, body = patch(
        rep, client.id, {"paused": False, "do_not_contact": True, "discharged": True, "timezone": None}
    )
    assert status == 200 and not body["paused"] and body["do_not_contact"] and body["discharged"]
    assert body["timezone"] is None and body["cadence"] == "biweekly"
    read = rep.get(f"/api/rep/clients/{client.id}/outreach").json()["controls"]
    assert read == body


def test_each_change_re_plans_the_client_at_once(rep: Signed, database_url: str, monkeypatch) -> None:
    client = create_client(database_url, JORDAN)
    planned: list[int] = []
    real = outreach.plan_client
    monkeypatch.setattr(
        outreach,
        "plan_client",
        lambda session, client_id, *, now: (planned.append(client_id), real(session, client_id, now=now)),
    )
    assert patch(rep, client.id, {"paused": True})[0] == 200
    assert planned == [client.id]
    assert patch(rep, client.id, {"paused": True})[0] == 200  # nothing changed: nothing to re-plan
    assert planned == [client.id]
    history = rep.get(f"/api/rep/clients/{client.id}/outreach").json()["history"]
    assert {entry["kind"] for entry in history} >= {"reminder"}  # the planner ran for the video session


def test_bad_controls_are_422(rep: Signed, database_url: str) -> None:
    client = create_client(database_url, AVERY)
    for body in (
        {"timezone": "Mars/Olympus"},
        {"timezone": "../etc"},
        {"cadence": "monthly"},
        {"paused": None},
        {"paused": "maybe"},
        {"unknown": True},
    ):
        assert patch(rep, client.id, body)[0] == 422, body


def test_another_practices_client_is_403_and_an_unknown_one_404(other_practice, rep: Signed, database_url: str) -> None:
    client = create_client(database_url, AVERY)
    signed = other_practice.signed
    assert signed.get(f"/api/rep/clients/{client.id}/outreach").status_code == 403
    assert patch(signed, client.id, {"paused": True})[0] == 403
    assert rep.get("/api/rep/clients/2147483647/outreach").status_code == 404
    assert rep.get("/api/rep/clients/2147483648/outreach").status_code == 422


def test_the_history_says_sent_delivered_replied_confirmed_skipped_and_cancelled(
    rep: Signed, database_url: str
) -> None:
    client = create_client(database_url, AVERY)
    now = utcnow()
    appointment_id = booked(database_url, client.id, now + dt.timedelta(days=1))
    with session_scope(database_url) as session:
        appointment = session.get_one(Appointment, appointment_id)
        appointment.confirmed_at = now
        conversation = Conversation(practice_id=appointment.practice_id, channel=Channel.SMS, client_id=client.id)
        session.add(conversation)
        session.flush()
        message = Message(
            conversation_id=conversation.id,
            direction=Direction.OUTBOUND,
            author=Author.SYSTEM,
            text="reminder",
            status=MessageStatus.DELIVERED,
        )
        session.add(message)
        session.flush()

        def job(key: str, state: OutreachState, **fields) -> OutreachJob:
            return OutreachJob(
                practice_id=appointment.practice_id,
                client_id=client.id,
                kind=OutreachKind.REMINDER,
                rule="reminder_24h",
                event_key=f"test:{client.id}:{key}",
                due_at=now - dt.timedelta(hours=len(key)),
                state=state,
                **fields,
            )

        session.add_all(
            [
                job(
                    "sent",
                    OutreachState.SENT,
                    appointment_id=appointment_id,
                    decided_at=now,
                    replied_at=now,
                    message_id=message.id,
                ),
                job("skipped", OutreachState.SKIPPED, reason="daily_limit", decided_at=now),
                job("cancelled!", OutreachState.CANCELLED, reason="rescheduled", decided_at=now),
            ]
        )
    history = rep.get(f"/api/rep/clients/{client.id}/outreach").json()["history"]
    by_state = {entry["state"]: entry for entry in history}
    sent = by_state["sent"]
    assert sent["replied_at"] and sent["confirmed_at"] and sent["appointment_id"] == appointment_id
    assert sent["delivered"] and sent["delivery_status"] == "delivered"
    assert (by_state["skipped"]["reason"], by_state["cancelled"]["reason"]) == ("daily_limit", "rescheduled")
    assert not by_state["skipped"]["delivered"] and by_state["skipped"]["delivery_status"] is None


def test_a_past_booked_session_is_marked_a_no_show_once(rep: Signed, database_url: str) -> None:
    client = create_client(database_url, AVERY)
    started = utcnow() - dt.timedelta(hours=2)
    appointment_id = booked(database_url, client.id, started)
    listed = rep.get(f"/api/rep/clients/{client.id}/outreach").json()["appointments"]
    assert [(a["id"], a["can_mark_no_show"]) for a in listed] == [(appointment_id, True)]
    response = rep.post(f"/api/rep/appointments/{appointment_id}/no-show")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "no_show" and response.json()["can_mark_no_show"] is False
    with session_scope(database_url) as session:
        assert session.get_one(Appointment, appointment_id).status is AppointmentStatus.NO_SHOW
        follow_up = session.scalars(
            select(OutreachJob).where(OutreachJob.client_id == client.id, OutreachJob.kind == OutreachKind.NO_SHOW)
        ).first()
        assert follow_up is not None and follow_up.state is OutreachState.PLANNED  # re-planned at once
    event = last_audit(database_url, "appointment_no_show_marked")
    assert event is not None and event.subject_id == str(appointment_id)
    assert rep.post(f"/api/rep/appointments/{appointment_id}/no-show").status_code == 409


def test_a_future_or_cancelled_session_cannot_be_a_no_show(rep: Signed, database_url: str) -> None:
    client = create_client(database_url, AVERY)
    future = booked(database_url, client.id, utcnow() + dt.timedelta(days=3))
    cancelled = booked(database_url, client.id, utcnow() - dt.timedelta(days=1), AppointmentStatus.CANCELLED)
    assert rep.post(f"/api/rep/appointments/{future}/no-show").status_code == 409
    assert rep.post(f"/api/rep/appointments/{cancelled}/no-show").status_code == 409
    listed = {
        a["id"]: a["can_mark_no_show"] for a in rep.get(f"/api/rep/clients/{client.id}/outreach").json()["appointments"]
    }
    assert listed == {future: False, cancelled: False}


def test_no_show_needs_csrf_and_the_same_practice(other_practice, rep: Signed, database_url: str) -> None:
    client = create_client(database_url, AVERY)
    appointment_id = booked(database_url, client.id, utcnow() - dt.timedelta(hours=2))
    assert rep.http.post(f"/api/rep/appointments/{appointment_id}/no-show").status_code == 403
    assert other_practice.signed.post(f"/api/rep/appointments/{appointment_id}/no-show").status_code == 403
    assert rep.post("/api/rep/appointments/2147483647/no-show").status_code == 404
    with session_scope(database_url) as session:
        assert session.get_one(Appointment, appointment_id).status is AppointmentStatus.BOOKED
