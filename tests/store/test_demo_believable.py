"""Demo data a newcomer believes (issue 12, part 6): every demo session at an hour the office
is open in the practice's time zone, whatever time the demo is loaded; clinicians with some
evening hours; Lakeside's answers to every practice question, kept when an admin edits them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.demo import load_demo_data
from assistant.store.models import (
    Appointment,
    AvailabilityWindow,
    Client,
    Clinician,
    FaqTopic,
    PracticeFaqAnswer,
)

NY = ZoneInfo("America/New_York")
# Loaded every other hour of a Friday (the next 24 hours run into the weekend), and at odd
# minutes late on a Saturday night and early on a Monday.
LOAD_TIMES = [dt.datetime(2026, 11, 27, hour, 0, tzinfo=NY) for hour in range(0, 24, 2)] + [
    dt.datetime(2026, 11, 28, 23, 41, tzinfo=NY),
    dt.datetime(2026, 11, 30, 4, 7, tzinfo=NY),
]


@pytest.mark.parametrize("loaded_at", LOAD_TIMES, ids=lambda moment: moment.strftime("%a-%H%M"))
def test_every_demo_session_is_at_an_office_hour(session: Session, loaded_at: dt.datetime) -> None:
    load_demo_data(session, loaded_at.astimezone(dt.UTC))
    starts = [start.astimezone(NY) for start in session.scalars(select(Appointment.starts_at))]
    assert starts
    assert all(9 <= start.hour <= 18 and start.minute == 0 for start in starts), starts
    priya = session.scalars(select(Client).where(Client.first_name == "Priya")).one()
    (late,) = session.scalars(select(Appointment.starts_at).where(Appointment.client_id == priya.id))
    # Still the late-cancellation story: inside the 24-hour window, not about to start.
    assert dt.timedelta(hours=2) <= late - loaded_at < dt.timedelta(hours=24)


def test_some_clinicians_see_clients_in_the_evening(session: Session) -> None:
    load_demo_data(session, LOAD_TIMES[10].astimezone(dt.UTC))
    evening = session.execute(
        select(Clinician.display_name)
        .join(AvailabilityWindow, AvailabilityWindow.clinician_id == Clinician.id)
        .where(AvailabilityWindow.weekday < 5, AvailabilityWindow.end_time >= dt.time(19))
        .distinct()
    ).scalars()
    assert len(set(evening)) >= 2
    late = session.scalars(select(AvailabilityWindow).where(AvailabilityWindow.end_time >= dt.time(20))).all()
    assert late  # someone until 8 PM or later


def test_lakeside_answers_every_practice_question_and_keeps_an_admins_edit(session: Session) -> None:
    now = LOAD_TIMES[10].astimezone(dt.UTC)
    first = load_demo_data(session, now)
    assert first.faq_answers_created == len(FaqTopic)
    answers = {row.topic: row for row in session.scalars(select(PracticeFaqAnswer))}
    assert set(answers) == set(FaqTopic)
    assert all(row.answer.strip() for row in answers.values())
    assert answers[FaqTopic.INTAKE_FORMS].link_url == "https://portal.lakeside.example/forms"
    answers[FaqTopic.PARKING].answer = "Edited by the practice."
    session.flush()
    again = load_demo_data(session, now)
    assert again.faq_answers_created == 0 and not again.changed
    edited = session.scalars(select(PracticeFaqAnswer).where(PracticeFaqAnswer.topic == FaqTopic.PARKING)).one()
    assert edited.answer == "Edited by the practice."
