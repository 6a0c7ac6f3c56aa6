"""The outreach rules editor: admins read and replace the rules and templates; a template
that breaks the texting rules is refused with its reason; the preview renders a template
with a sample or real client and counts its segments."""

from __future__ import annotations

from sqlalchemy import select

from assistant.outreach.settings import default_template
from assistant.store.engine import session_scope
from assistant.store.models import AuditEvent, Practice
from tests.support.clients import JORDAN, create_client
from tests.support.console import Signed

GOOD = "{practice_name}: see you {session_time}, {client_first_name}. Reply STOP to opt out."


def put(who: Signed, body: dict) -> tuple[int, dict]:
    response = who.http.put("/api/rep/outreach/settings", json=body, headers={"X-CSRF-Token": who.csrf})
    return response.status_code, response.json()


def stored(database_url: str) -> dict | None:
    with session_scope(database_url) as session:
        return session.scalars(select(Practice.outreach_settings).where(Practice.slug == "lakeside")).one()


def test_admins_read_the_defaults(admin: Signed) -> None:
    response = admin.get("/api/rep/outreach/settings")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["settings"]["reminder_hours"] == [48, 24] and body["settings"]["dropped_off_auto_checkin"] is False
    reminder = next(item for item in body["templates"] if item["kind"] == "reminder")
    assert reminder["text"] == default_template("reminder") and reminder["is_default"]
    assert body["variables"] == ["client_first_name", "modality", "practice_name", "session_time"]


def test_a_good_change_is_saved_read_back_and_audited(admin: Signed, database_url: str) -> None:
    body = admin.get("/api/rep/outreach/settings").json()["settings"]
    body.update(reminder_hours=[24], no_show_enabled=False, templates={"no_show": GOOD})
    status, saved = put(admin, body)
    assert status == 200, saved
    assert saved["settings"]["reminder_hours"] == [24] and saved["settings"]["no_show_enabled"] is False
    no_show = next(item for item in saved["templates"] if item["kind"] == "no_show")
    assert no_show == {**no_show, "text": GOOD, "is_default": False}
    assert stored(database_url)["templates"] == {"no_show": GOOD}
    assert admin.get("/api/rep/outreach/settings").json()["settings"]["reminder_hours"] == [24]
    with session_scope(database_url) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "outreach_settings_updated").order_by(AuditEvent.id.desc())
        ).first()
        assert event is not None and event.actor == f"rep:{admin.rep['id']}"
        assert event.details == {"changed": ["no_show_enabled", "reminder_hours"], "templates_changed": ["no_show"]}


def refused(admin: Signed, database_url: str, template: str) -> str:
    before = stored(database_url)
    status, body = put(admin, {"templates": {"reminder": template}})
    assert status == 422, body
    assert stored(database_url) == before
    return body["detail"]


def test_a_template_without_the_opt_out_line_is_refused_with_the_reason(admin: Signed, database_url: str) -> None:
    detail = refused(admin, database_url, "{practice_name}: see you {session_time}.")
    assert "Reminder before a session" in detail and "Reply STOP to opt out" in detail


def test_an_unknown_variable_is_refused(admin: Signed, database_url: str) -> None:
    assert "{first_name} is not a variable" in refused(
        admin, database_url, "{practice_name} {first_name}. Reply STOP to opt out."
    )


def test_a_clinician_name_is_refused_while_clinical_details_are_off(admin: Signed, database_url: str) -> None:
    detail = refused(admin, database_url, "{practice_name}: your session with Dr. Patel. Reply STOP to opt out.")
    assert "clinician's name" in detail


def test_a_template_over_three_segments_is_refused(admin: Signed, database_url: str) -> None:
    detail = refused(admin, database_url, "{practice_name} " + "see you soon. " * 40 + "Reply STOP to opt out.")
    assert "SMS segments" in detail


def test_bad_rules_are_422(admin: Signed) -> None:
    for body in ({"reminder_hours": [24, 24]}, {"reminder_hours": [200]}, {"templates": {"birthday": GOOD}}, {"x": 1}):
        assert put(admin, body)[0] == 422, body


def test_reps_cannot_read_or_change_the_rules(rep: Signed) -> None:
    assert rep.get("/api/rep/outreach/settings").status_code == 403
    assert put(rep, {"reminder_hours": [24]})[0] == 403


def test_a_change_needs_the_csrf_token(admin: Signed) -> None:
    response = admin.http.put("/api/rep/outreach/settings", json={"reminder_hours": [24]})
    assert response.status_code == 403


def test_the_preview_renders_sample_values_and_counts_segments(rep: Signed) -> None:
    body = rep.post("/api/rep/outreach/preview", json={"template": default_template("reminder")}).json()
    assert body["text"].startswith("Lakeside Counseling: reminder of your video session Thu Dec 3, 3:00 PM ET.")
    assert body["segments"] == 1 and body["problems"] == [] and body["characters"] == len(body["text"])
    long = rep.post("/api/rep/outreach/preview", json={"template": "{practice_name} " + "a" * 300}).json()
    assert long["segments"] == 3 and any("STOP" in problem for problem in long["problems"])


def test_the_preview_uses_a_real_clients_next_session(rep: Signed, database_url: str) -> None:
    client = create_client(database_url, JORDAN)
    body = rep.post(
        "/api/rep/outreach/preview", json={"template": default_template("reminder"), "client_id": client.id}
    ).json()
    assert body["client_id"] == client.id and "video session" in body["text"]
    assert "Thu Dec 3, 3:00 PM" not in body["text"]  # the client's own session, not the sample
    greeting = rep.post(
        "/api/rep/outreach/preview", json={"template": "Hi {client_first_name}", "client_id": client.id}
    )
    assert greeting.json()["text"] == "Hi Jordan"


def test_the_preview_of_another_practices_client_is_403(other_practice, database_url: str) -> None:
    client = create_client(database_url, JORDAN)
    response = other_practice.signed.post("/api/rep/outreach/preview", json={"template": "x", "client_id": client.id})
    assert response.status_code == 403


def test_a_malformed_preview_is_422(rep: Signed) -> None:
    for body in ({}, {"template": ""}, {"template": "x" * 1001}, {"template": "x", "client_id": 0}):
        assert rep.post("/api/rep/outreach/preview", json=body).status_code == 422, body
