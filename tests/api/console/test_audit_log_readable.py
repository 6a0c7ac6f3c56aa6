"""The audit log reads as sentences: labels for actions, the rep's name and email, the time in
the practice's zone, the client's name with the conversation to open; filters by rep, action
and date range; pages that end; the CSV still carries ISO timestamps and IDs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

from sqlalchemy import select

from assistant.services import audit
from assistant.services.audit_labels import ACTION_LABELS, action_label
from assistant.store.engine import session_scope
from assistant.store.models import Practice
from tests.support.console import Signed

AUDIT = "/api/rep/audit"


def _viewed(admin: Signed, **params: object) -> list[dict]:
    events = admin.get(AUDIT, params=params).json()["events"]
    return [event for event in events if event["action"] == "transcript_viewed"]


def test_a_transcript_view_reads_with_label_name_email_client_and_local_time(admin, rep, open_handoff_chat) -> None:
    chat = open_handoff_chat()
    rep.get(f"/api/rep/conversations/{chat.session_id}")
    [event] = _viewed(admin)
    assert event["action_label"] == "Opened transcript"
    assert event["actor_name"] == rep.rep["display_name"] and event["actor_email"] == rep.rep["email"]
    assert event["client_name"] == "Jordan Lee" and event["conversation_id"] == chat.session_id
    # The full date and time in the practice's zone, with the zone said.
    at = dt.datetime.fromisoformat(event["at"]).astimezone(ZoneInfo("America/New_York"))
    expected = at.strftime("%a %b ") + str(at.day) + at.strftime(", %Y, ") + at.strftime("%I:%M %p").lstrip("0")
    assert event["at_text"] == f"{expected} {at.tzname()}"
    assert re.fullmatch(r"\w{3} \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M E[SD]T", event["at_text"])


def test_sign_in_is_labelled_and_filters_by_rep_and_action(admin, rep) -> None:
    signed_in = admin.get(AUDIT, params={"action": "rep_signed_in", "rep_id": rep.rep["id"]}).json()["events"]
    assert signed_in and {e["action_label"] for e in signed_in} == {"Signed in"}
    assert {e["actor"] for e in signed_in} == {f"rep:{rep.rep['id']}"}
    mine = admin.get(AUDIT, params={"rep_id": admin.rep["id"]}).json()["events"]
    assert mine and {e["actor_email"] for e in mine} == {admin.rep["email"]}


def test_the_date_range_is_read_in_the_practice_calendar(admin, database_url) -> None:
    zone = ZoneInfo("America/New_York")
    late_evening = dt.datetime(2026, 3, 9, 23, 30, tzinfo=zone)  # already Mar 10 in UTC
    with session_scope(database_url) as session:
        practice_id = session.scalars(select(Practice.id).where(Practice.slug == "lakeside")).one()
        audit.record(
            session,
            actor="system",
            action="test_range",
            subject_type="practice",
            subject_id=practice_id,
            at=late_evening,
        )

    def days(since: str, until: str) -> list[dict]:
        params = {"action": "test_range", "since": since, "until": until}
        return admin.get(AUDIT, params=params).json()["events"]

    assert len(days("2026-03-09", "2026-03-09")) == 1
    assert days("2026-03-10", "2026-03-10") == []
    [event] = days("2026-03-01", "2026-03-31")
    assert event["at_text"] == "Mon Mar 9, 2026, 11:30 PM EDT" and event["action_label"] == "Test range"
    reversed_range = admin.get(AUDIT, params={"since": "2026-03-10", "until": "2026-03-09"})
    assert reversed_range.status_code == 422
    assert admin.get(AUDIT, params={"since": "not a date"}).status_code == 422
    assert admin.get(AUDIT, params={"rep_id": "x"}).status_code == 422


def test_pages_follow_each_other_and_the_last_says_so(admin, database_url) -> None:
    with session_scope(database_url) as session:
        practice_id = session.scalars(select(Practice.id).where(Practice.slug == "lakeside")).one()
        for _ in range(5):
            audit.record(session, actor="system", action="test_paging", subject_type="practice", subject_id=practice_id)
    first = admin.get(AUDIT, params={"action": "test_paging", "limit": 2}).json()
    second = admin.get(AUDIT, params={"action": "test_paging", "limit": 2, "before_id": first["next_before_id"]}).json()
    third = admin.get(AUDIT, params={"action": "test_paging", "limit": 2, "before_id": second["next_before_id"]}).json()
    ids = [e["id"] for page in (first, second, third) for e in page["events"]]
    assert len(ids) == 5 and ids == sorted(ids, reverse=True) and len(set(ids)) == 5
    assert first["next_before_id"] and second["next_before_id"] and third["next_before_id"] is None
    assert {"action": "transcript_viewed", "label": "Opened transcript"} in first["actions"]


def test_the_csv_keeps_iso_times_and_ids_and_honours_the_filter(admin, rep, open_handoff_chat) -> None:
    chat = open_handoff_chat()
    rep.get(f"/api/rep/conversations/{chat.session_id}")
    export = admin.get("/api/rep/audit.csv", params={"action": "transcript_viewed"})
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert rows and {r["action"] for r in rows} == {"transcript_viewed"}
    [row] = [r for r in rows if r["subject_id"] == chat.session_id]
    assert dt.datetime.fromisoformat(row["at"]).tzinfo is not None
    assert row["actor"] == f"rep:{rep.rep['id']}" and row["id"].isdigit()
    assert row["action_label"] == "Opened transcript" and row["actor_email"] == rep.rep["email"]


def test_every_action_the_code_records_has_a_label() -> None:
    # Labels are one mapping; an unknown action still reads as words, never as snake_case.
    assert action_label("something_new_here") == "Something new here"
    assert all(label and "_" not in label for label in ACTION_LABELS.values())


def test_a_rep_cannot_read_the_audit_log(rep) -> None:
    assert rep.get(AUDIT).status_code == 403
