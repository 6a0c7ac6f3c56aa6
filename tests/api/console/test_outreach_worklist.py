"""The dropped-off worklist: who is on it, "reached out" with a note, and "text a check-in"
through the outreach limits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Client,
    Message,
    Modality,
    OutreachContact,
    OutreachJob,
    OutreachKind,
    utcnow,
)
from tests.support.clients import AVERY, create_client
from tests.support.console import Signed


def gone_client(database_url: str, days: int = 45, **fields) -> int:
    """A client whose only session was `days` ago (completed), nothing booked since."""
    client = create_client(database_url, AVERY)
    with session_scope(database_url) as session:
        row = session.get_one(Client, client.id)
        for name, value in fields.items():
            setattr(row, name, value)
        start = utcnow() - dt.timedelta(days=days)
        session.add(
            Appointment(
                practice_id=row.practice_id,
                client_id=row.id,
                clinician_id=row.primary_clinician_id,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=50),
                modality=Modality.IN_PERSON,
                status=AppointmentStatus.COMPLETED,
            )
        )
    return client.id


def listed(who: Signed) -> dict[int, dict]:
    response = who.get("/api/rep/outreach/dropped-off")
    assert response.status_code == 200, response.text
    return {entry["client_id"]: entry for entry in response.json()["clients"]}


def test_the_worklist_lists_dropped_off_clients_only(rep: Signed, database_url: str) -> None:
    gone = gone_client(database_url)
    recent = gone_client(database_url, days=10)
    discharged = gone_client(database_url, discharged_at=utcnow())
    do_not_contact = gone_client(database_url, do_not_contact=True)
    entries = listed(rep)
    assert gone in entries and not {recent, discharged, do_not_contact} & entries.keys()
    entry = entries[gone]
    assert entry["name"].startswith("Avery ") and entry["last_session"] and entry["last_contact"] is None
    assert entry["can_text"] is True


def test_reached_out_with_a_note_is_logged_audited_and_shown(rep: Signed, database_url: str) -> None:
    gone = gone_client(database_url)
    response = rep.post(f"/api/rep/clients/{gone}/outreach/reached-out", json={"note": " Left a voicemail.\x00 "})
    assert response.status_code == 201, response.text
    assert response.json()["note"] == "Left a voicemail." and response.json()["kind"] == "reached_out"
    entry = listed(rep)[gone]
    assert (
        entry["last_contact"]
        and entry["last_contact_kind"] == "reached_out"
        and entry["last_note"] == "Left a voicemail."
    )
    with session_scope(database_url) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "outreach_reached_out").order_by(AuditEvent.id.desc())
        ).first()
        assert event is not None and event.subject_id == str(gone) and event.details["with_note"] is True
        assert "voicemail" not in str(event.details)


def test_reached_out_refuses_bad_input_and_other_practices(other_practice, rep: Signed, database_url: str) -> None:
    gone = gone_client(database_url)
    assert rep.post(f"/api/rep/clients/{gone}/outreach/reached-out", json={"note": "x" * 2001}).status_code == 422
    assert rep.http.post(f"/api/rep/clients/{gone}/outreach/reached-out", json={}).status_code == 403  # no CSRF
    assert other_practice.signed.post(f"/api/rep/clients/{gone}/outreach/reached-out", json={}).status_code == 403
    assert rep.post("/api/rep/clients/2147483647/outreach/reached-out", json={}).status_code == 404


def test_a_check_in_draft_is_rendered_for_the_client(rep: Signed, database_url: str) -> None:
    gone = gone_client(database_url)
    draft = rep.get(f"/api/rep/clients/{gone}/outreach/checkin").json()
    assert draft["text"].startswith("Hi Avery, it's Lakeside Counseling") and draft["segments"] == 1
    assert "{client_first_name}" in draft["template"] and draft["problems"] == []


def test_a_check_in_is_texted_through_the_limits_once_a_day(rep: Signed, database_url: str, monkeypatch) -> None:
    gone = gone_client(database_url)
    # The limits apply the client's quiet hours: text at 10 AM the client's time, whatever the clock says.
    from assistant.services import outreach_worklist

    ten_am = dt.datetime.now(dt.UTC).replace(hour=15, minute=0)  # 10 AM in New York (EST)
    monkeypatch.setattr("assistant.api.routes.rep_outreach.utcnow", lambda: ten_am)
    template = "{practice_name}: thinking of you, {client_first_name}. Reply STOP to opt out."
    response = rep.post(f"/api/rep/clients/{gone}/outreach/checkin", json={"template": template})
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "checkin_texted"
    with session_scope(database_url) as session:
        job = session.scalars(select(OutreachJob).where(OutreachJob.client_id == gone)).one()
        assert job.kind is OutreachKind.MANUAL_CHECKIN and job.message_id is not None
        text = session.get_one(Message, job.message_id).text
        assert text == "Lakeside Counseling: thinking of you, Avery. Reply STOP to opt out."
        assert session.scalars(select(OutreachContact).where(OutreachContact.client_id == gone)).all()
    assert listed(rep)[gone]["last_contact_kind"] == "checkin_texted"
    again = rep.post(f"/api/rep/clients/{gone}/outreach/checkin", json={"template": template})
    assert again.status_code == 409 and "already got an outreach text today" in again.json()["detail"]
    assert outreach_worklist.BLOCKED_WORDS  # every reason has words


def test_a_bad_check_in_template_is_refused_before_anything_is_sent(rep: Signed, database_url: str) -> None:
    gone = gone_client(database_url)
    response = rep.post(f"/api/rep/clients/{gone}/outreach/checkin", json={"template": "{practice_name}: hi"})
    assert response.status_code == 422 and "Reply STOP to opt out" in response.json()["detail"]
    with session_scope(database_url) as session:
        assert not session.scalars(select(OutreachJob).where(OutreachJob.client_id == gone)).all()


def test_a_client_without_sms_consent_is_not_texted(rep: Signed, database_url: str) -> None:
    gone = gone_client(database_url, sms_consent=False)
    assert listed(rep)[gone]["can_text"] is False
    template = "{practice_name}: hello. Reply STOP to opt out."
    response = rep.post(f"/api/rep/clients/{gone}/outreach/checkin", json={"template": template})
    assert response.status_code == 409 and "not agreed to texts" in response.json()["detail"]
