"""Outreach in the rep console, in a real browser against the real stack: the dropped-off
worklist ("reached out" with a note) and the rules editor (a bad template refused with its
message, a good one saved, the preview shows segments).  No accessibility violations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from assistant import demo
from assistant.store.engine import session_scope
from assistant.store.models import Appointment, AppointmentStatus, Client, Modality, OutreachContact, Practice, utcnow
from tests.support.accessibility import axe_violations
from tests.support.browser import BrowserConsole, sign_in_console
from tests.support.clients import AVERY, create_client
from tests.support.console import ADMIN
from tests.support.stack import RunningStack

GOOD = "{practice_name}: see you {session_time} by {modality}. Reply C to confirm. Reply STOP to opt out."


def sign_in_admin(page: Page) -> None:
    sign_in_console(page, *ADMIN)


@pytest.fixture
def gone_client(stack: RunningStack) -> int:
    """A client of its own whose last session was 45 days ago, nothing booked."""
    client = create_client(stack.database_url, AVERY)
    with session_scope(stack.database_url) as session:
        row = session.get_one(Client, client.id)
        start = utcnow() - dt.timedelta(days=45)
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


@pytest.fixture
def restored_rules(stack: RunningStack) -> Iterator[None]:
    """The practice's outreach settings put back as they were: other tests share the stack."""
    with session_scope(stack.database_url) as session:
        before = session.scalars(select(Practice.outreach_settings).where(Practice.slug == demo.SLUG)).one()
    yield
    with session_scope(stack.database_url) as session:
        session.scalars(select(Practice).where(Practice.slug == demo.SLUG)).one().outreach_settings = before


def test_the_worklist_records_reaching_out_with_a_note(
    console_page: Page, stack: RunningStack, gone_client: int, browser_log: BrowserConsole
) -> None:
    page = console_page
    sign_in_admin(page)
    page.get_by_role("link", name="Outreach").click()
    expect(page).to_have_url(re.compile(r"/console/outreach$"))
    with session_scope(stack.database_url) as session:
        name = session.get_one(Client, gone_client).full_name
    row = page.locator("#worklist tr", has_text=name)
    expect(row).to_contain_text("Not contacted")
    assert axe_violations(page) == []
    row.get_by_role("button", name=f"Reached out to {name}").click()
    page.get_by_label("Note (what happened; private, never sent)").fill("Left a voicemail <b>x</b>")
    page.locator("#contact-form").get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved: reached out.")
    expect(row).to_contain_text("reached out: Left a voicemail <b>x</b>")  # as text, never HTML
    with session_scope(stack.database_url) as session:
        contact = session.scalars(select(OutreachContact).where(OutreachContact.client_id == gone_client)).one()
        assert (contact.kind, contact.note) == ("reached_out", "Left a voicemail <b>x</b>")
    assert axe_violations(page) == []
    assert browser_log.csp_violations() == []
    assert [error for error in browser_log.errors if error.startswith("pageerror")] == []


def test_the_rule_editor_refuses_a_bad_template_and_saves_a_good_one(
    console_page: Page, stack: RunningStack, restored_rules: None, browser_log: BrowserConsole
) -> None:
    page = console_page
    sign_in_admin(page)
    page.goto("/console/outreach")
    reminder = page.get_by_label("Reminder before a session", exact=True)
    expect(reminder).to_have_value(re.compile(r"\{practice_name\}: reminder of your"))
    expect(page.locator("#template-reminder-segments")).to_have_text(re.compile(r"\(1 segment, \d+ characters\)"))
    assert axe_violations(page) == []

    reminder.fill("{practice_name}: see you {session_time}.")
    expect(page.locator("#template-reminder-problems")).to_contain_text("Reply STOP to opt out")
    page.get_by_role("button", name="Save rules").click()
    expect(page.locator("#status")).to_contain_text("Not saved: Reminder before a session: End with")

    reminder.fill(GOOD)
    expect(page.locator("#template-reminder-preview")).to_have_text(
        re.compile(r"^Lakeside Counseling: see you Thu Dec 3, 3:00 PM ET by video\. Reply C")
    )
    expect(page.locator("#template-reminder-problems li")).to_have_count(0)
    page.get_by_role("button", name="Save rules").click()
    expect(page.locator("#status")).to_have_text("Rules saved.")
    with session_scope(stack.database_url) as session:
        stored = session.scalars(select(Practice.outreach_settings).where(Practice.slug == demo.SLUG)).one()
        assert stored is not None and stored["templates"] == {"reminder": GOOD}
    page.reload()
    expect(page.get_by_label("Reminder before a session", exact=True)).to_have_value(GOOD)
    assert axe_violations(page) == []
    assert browser_log.csp_violations() == []
    assert [error for error in browser_log.errors if error.startswith("pageerror")] == []


def test_the_sidebar_marks_a_past_session_a_no_show(
    console_page: Page, stack: RunningStack, open_chat, browser_log: BrowserConsole
) -> None:  # noqa: ANN001
    client = create_client(stack.database_url, AVERY)  # nothing booked: the follow-up applies
    started = utcnow() - dt.timedelta(hours=2)
    with session_scope(stack.database_url) as session:
        row = session.get_one(Client, client.id)
        past = Appointment(
            practice_id=row.practice_id,
            client_id=row.id,
            clinician_id=row.primary_clinician_id,
            starts_at=started,
            ends_at=started + dt.timedelta(minutes=50),
            modality=Modality.IN_PERSON,
        )
        session.add(past)
        session.flush()
        past_id = past.id
    chat = open_chat(*client.identity)
    chat.send("can i talk to a real person")
    page = console_page
    sign_in_admin(page)
    page.locator(f'.queue-item[data-id="{chat.session_id}"]').click()
    panel = page.locator("#outreach-panel")
    expect(panel).to_be_visible()
    button = panel.get_by_role("button", name=re.compile(r"^Mark the session of .* a no-show$"))
    expect(button).to_have_count(1)
    assert axe_violations(page) == []
    button.click()
    expect(page.locator("#status")).to_have_text("Marked a no-show; the follow-up is planned.")
    expect(panel.locator("#outreach-appointments")).to_contain_text("no show")
    expect(panel.locator("#outreach-history")).to_contain_text("No-show follow-up")
    with session_scope(stack.database_url) as session:
        assert session.get_one(Appointment, past_id).status is AppointmentStatus.NO_SHOW
    assert browser_log.csp_violations() == []
