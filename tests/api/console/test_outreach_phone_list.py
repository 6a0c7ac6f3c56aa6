"""Reminders the front desk gives by phone: clients the rules may not text (no consent,
opted out, no mobile) are listed with their upcoming session, for a person to call."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from assistant.services.outreach import plan_client
from assistant.store.engine import session_scope
from assistant.store.models import Client, OutreachJob, OutreachKind, OutreachState, SmsOptOut, utcnow
from tests.support.clients import JORDAN, create_client
from tests.support.console import Signed


def _skip_reminders(database_url: str, client_id: int, reason: str) -> None:
    """What the scheduler does at send time for a client it may not text."""
    with session_scope(database_url) as session:
        plan_client(session, client_id, now=utcnow())
        for job in session.scalars(
            select(OutreachJob).where(OutreachJob.client_id == client_id, OutreachJob.kind == OutreachKind.REMINDER)
        ):
            job.state, job.reason, job.decided_at = OutreachState.SKIPPED, reason, utcnow()


def _listed(rep: Signed) -> list[dict]:
    response = rep.get("/api/rep/outreach/phone-reminders")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"].startswith("no-store")
    return response.json()["reminders"]


def test_clients_who_get_no_texts_are_listed_for_a_call(rep: Signed, database_url: str) -> None:
    no_consent = create_client(database_url, JORDAN)
    opted_out = create_client(database_url, JORDAN)
    texted = create_client(database_url, JORDAN)
    with session_scope(database_url) as session:
        session.get_one(Client, no_consent.id).sms_consent = False
        practice_id = session.get_one(Client, opted_out.id).practice_id
        session.add(SmsOptOut(practice_id=practice_id, phone_e164=opted_out.mobile, source="keyword", keyword="STOP"))
    _skip_reminders(database_url, no_consent.id, "no_sms_consent")
    _skip_reminders(database_url, opted_out.id, "opted_out")
    _skip_reminders(database_url, texted.id, "daily_limit")  # a limit, not a channel problem: not listed
    listed = {entry["client_id"]: entry for entry in _listed(rep)}
    assert {no_consent.id, opted_out.id} <= listed.keys() and texted.id not in listed
    entry = listed[no_consent.id]
    assert entry["name"] == no_consent.name and entry["phone"] == no_consent.mobile
    assert entry["reason"] == "no_sms_consent" and entry["session_time"]
    assert listed[opted_out.id]["reason"] == "opted_out"


def test_one_entry_per_session_and_none_once_it_is_past(rep: Signed, database_url: str) -> None:
    own = create_client(database_url, JORDAN)
    _skip_reminders(database_url, own.id, "no_mobile")  # both the 48 h and the 24 h reminder
    assert [entry["client_id"] for entry in _listed(rep)].count(own.id) == 1
    with session_scope(database_url) as session:
        for job in session.scalars(select(OutreachJob).where(OutreachJob.client_id == own.id)):
            assert job.appointment is not None
            job.appointment.starts_at = utcnow() - dt.timedelta(hours=1)
    assert own.id not in [entry["client_id"] for entry in _listed(rep)]


def test_signed_out_is_refused(browser) -> None:
    assert browser().get("/api/rep/outreach/phone-reminders").status_code == 401
