"""Practice questions answered from the practice's settings: stored answers, channel
fitting, the minimum necessary on texts, and the admin's save/clear (validated, audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services.admin import AdminError
from assistant.services.practice_faq import Question, editing, question_for_intent, reply
from assistant.store.engine import session_scope
from assistant.store.models import AuditEvent, FaqTopic, Practice, PracticeFaqAnswer, Rep, RepRole
from assistant.wording import sms_segments

NY = ZoneInfo("America/New_York")
FRIDAY_NIGHT = dt.datetime(2026, 11, 27, 21, 0, tzinfo=NY)


@pytest.fixture
def session(demo_database_url: str) -> Iterator[Session]:
    with session_scope(demo_database_url) as open_session:
        yield open_session


def lakeside(session: Session) -> Practice:
    return session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()


def admin_of(session: Session, practice: Practice) -> Rep:
    return session.scalars(select(Rep).where(Rep.practice_id == practice.id, Rep.role == RepRole.ADMIN)).first()


def test_every_faq_intent_names_a_question() -> None:
    assert question_for_intent("faq_parking") is Question.PARKING
    assert question_for_intent("faq_cancellation_policy") is Question.CANCELLATION_POLICY
    assert {question.intent for question in Question} == {f"faq_{question.value}" for question in Question}
    assert question_for_intent("request_human") is None and question_for_intent("faq_weather") is None
    assert question_for_intent(None) is None


def test_a_stored_answer_comes_back_with_its_link(session: Session) -> None:
    practice = lakeside(session)
    web = reply(session, practice, Question.INTAKE_FORMS, phone=False, now=FRIDAY_NIGHT)
    assert web.answered and "intake forms in the client portal" in web.text
    assert web.text.endswith("The forms: https://portal.lakeside.example/forms")


def test_an_empty_setting_is_not_answered(session: Session) -> None:
    practice = lakeside(session)
    session.execute(
        PracticeFaqAnswer.__table__.delete().where(
            PracticeFaqAnswer.practice_id == practice.id, PracticeFaqAnswer.topic == FaqTopic.PARKING.value
        )
    )
    assert reply(session, practice, Question.PARKING, phone=False, now=FRIDAY_NIGHT).text is None
    # No business hours at all: the bot does not claim "around the clock".
    practice.business_hours = {}
    assert reply(session, practice, Question.HOURS, phone=False, now=FRIDAY_NIGHT).text is None
    assert reply(session, practice, Question.OPEN_NOW, phone=True, now=FRIDAY_NIGHT).text is None


def test_settings_answer_hours_policy_and_contact(session: Session) -> None:
    practice = lakeside(session)
    hours = reply(session, practice, Question.HOURS, phone=True, now=FRIDAY_NIGHT).text
    assert hours.startswith("Our front desk hours are Monday to Friday 9 AM to 5 PM, Saturday 9 AM to noon")
    assert "open again Sat Nov 28, 9:00 AM ET" in hours
    policy = reply(session, practice, Question.CANCELLATION_POLICY, phone=True, now=FRIDAY_NIGHT).text
    assert "24 hours' notice" in policy and "$75.00" in policy
    practice.late_cancel_fee_cents, practice.cancellation_window_hours = 0, 48
    policy = reply(session, practice, Question.CANCELLATION_POLICY, phone=True, now=FRIDAY_NIGHT).text
    assert "48 hours' notice" in policy and "no late fee" in policy
    contact = reply(session, practice, Question.CONTACT, phone=False, now=FRIDAY_NIGHT).text
    # The hand-off promise, honestly: closed on a Friday night, so Saturday morning.
    assert "we're closed right now, so a person will reply right here by Sat Nov 28, 10:00 AM ET" in contact
    assert "(555) 555-0100" in contact


def test_a_long_answer_is_one_text_on_sms_and_whole_on_the_web(session: Session) -> None:
    practice = lakeside(session)
    long_answer = " ".join(f"Sentence number {n} says a little more about the building and the lot." for n in range(12))
    admin = admin_of(session, practice)
    editing.save_answer(
        session, admin, practice, FaqTopic.PARKING, answer=long_answer, link_url=None, request_id="test"
    )
    web = reply(session, practice, Question.PARKING, phone=False, now=FRIDAY_NIGHT).text
    sms = reply(session, practice, Question.PARKING, phone=True, now=FRIDAY_NIGHT).text
    assert web == long_answer
    assert sms_segments.segment_count(sms) <= sms_segments.MAX_SEGMENTS_PER_MESSAGE < sms_segments.segment_count(web)
    assert sms.startswith("Sentence number 0 says") and sms.endswith("(More in our web chat or from our team.)")
    assert "Sentence number 11" not in sms


def test_clinical_details_never_go_out_by_text(session: Session) -> None:
    practice = lakeside(session)
    admin = admin_of(session, practice)
    answer = "Your first visit is with Dr. Patel, who will talk about your anxiety."
    editing.save_answer(session, admin, practice, FaqTopic.FIRST_SESSION, answer=answer, link_url=None, request_id="t")
    assert reply(session, practice, Question.FIRST_SESSION, phone=False, now=FRIDAY_NIGHT).text == answer
    assert reply(session, practice, Question.FIRST_SESSION, phone=True, now=FRIDAY_NIGHT).text is None
    shown = editing.preview(practice, FaqTopic.FIRST_SESSION, answer, None)
    assert shown.sms is None and "Patel" in shown.problems[0] and '"anxiety"' in shown.problems[0]
    # The practice's own name is not a clinical detail.
    named = "Lakeside Counseling sees new clients on weekdays."
    assert editing.preview(practice, FaqTopic.FIRST_SESSION, named, None).sms == named


def test_the_preview_is_what_the_bot_says(session: Session) -> None:
    practice = lakeside(session)
    stored = session.scalars(
        select(PracticeFaqAnswer).where(
            PracticeFaqAnswer.practice_id == practice.id, PracticeFaqAnswer.topic == FaqTopic.TELEHEALTH
        )
    ).one()
    shown = editing.preview(practice, FaqTopic.TELEHEALTH, stored.answer, stored.link_url)
    assert shown.web == reply(session, practice, Question.TELEHEALTH, phone=False, now=FRIDAY_NIGHT).text
    assert shown.sms == reply(session, practice, Question.TELEHEALTH, phone=True, now=FRIDAY_NIGHT).text
    assert shown.problems == []


@pytest.mark.parametrize(
    ("answer", "link", "problem"),
    [
        ("   ", None, "The answer is empty"),
        ("x" * (editing.MAX_ANSWER_CHARS + 1), None, "Keep the answer to"),
        ("Forms online.", "http://lakeside.example/forms", "https://"),
        ("Forms online.", "javascript:alert(1)", "https://"),
        ("Forms online.", "https://", "https://"),
        ("Forms online.", "https://lakeside.example/a form", "https://"),
        ("Forms online.", "https://lakeside.example/" + "a" * 500, "Keep the link to"),
    ],
)
def test_invalid_answers_are_refused_and_change_nothing(
    session: Session, answer: str, link: str | None, problem: str
) -> None:
    practice = lakeside(session)
    admin = admin_of(session, practice)
    before = session.scalars(
        select(PracticeFaqAnswer.answer).where(
            PracticeFaqAnswer.practice_id == practice.id, PracticeFaqAnswer.topic == FaqTopic.INTAKE_FORMS
        )
    ).one()
    with pytest.raises(AdminError, match=problem):
        editing.save_answer(
            session, admin, practice, FaqTopic.INTAKE_FORMS, answer=answer, link_url=link, request_id="t"
        )
    after = session.scalars(
        select(PracticeFaqAnswer.answer).where(
            PracticeFaqAnswer.practice_id == practice.id, PracticeFaqAnswer.topic == FaqTopic.INTAKE_FORMS
        )
    ).one()
    assert after == before


def test_save_and_clear_are_audited_without_the_text(session: Session) -> None:
    practice = lakeside(session)
    admin = admin_of(session, practice)
    editing.save_answer(
        session, admin, practice, FaqTopic.PARKING, answer="Lot behind the building.", link_url=" ", request_id="r1"
    )
    assert editing.clear_answer(session, admin, practice, FaqTopic.PARKING, request_id="r2")
    assert not editing.clear_answer(session, admin, practice, FaqTopic.PARKING, request_id="r3")
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action.startswith("practice_answer_")).order_by(AuditEvent.id)
    ).all()
    assert [(event.action, event.actor, event.details["topic"]) for event in events] == [
        ("practice_answer_saved", f"rep:{admin.id}", "parking"),
        ("practice_answer_cleared", f"rep:{admin.id}", "parking"),
    ]
    assert events[0].details["link"] is False and "Lot behind" not in str(events[0].details)
    assert reply(session, practice, Question.PARKING, phone=False, now=FRIDAY_NIGHT).text is None


def test_the_admin_list_shows_every_question(session: Session) -> None:
    practice = lakeside(session)
    views = editing.question_views(session, practice, FRIDAY_NIGHT)
    assert [view.question for view in views] == [question.value for question in Question]
    by_question = {view.question: view for view in views}
    assert not by_question["hours"].editable and by_question["hours"].preview.web.startswith("Our front desk hours")
    assert by_question["parking"].editable and by_question["parking"].preview.sms
