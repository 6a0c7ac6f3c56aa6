"""The answer a client gets to a practice question: what `action_answer_practice_question`
says, and what the console's preview shows (the same functions, so they never differ).

On a phone channel (SMS, a call) the minimum necessary is said: an answer the practice
wrote is kept to one text, and one that names a clinician or the care itself is not sent
there at all when the practice keeps clinical details out of texts (a person answers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.outreach.templates import clinical_details
from assistant.scheduling import opening_hours
from assistant.services.practice_faq.phone_fit import fit_for_phone
from assistant.services.practice_faq.questions import Question
from assistant.services.promises import practice_hours, promise_for
from assistant.store.models import FaqTopic, Practice, PracticeFaqAnswer
from assistant.wording import faq_hours
from assistant.wording import promises as promise_wording
from assistant.wording.catalog import text


@dataclass(frozen=True)
class FaqReply:
    """What to say to a practice question; `text` None: the practice has not answered it."""

    question: Question
    text: str | None

    @property
    def answered(self) -> bool:
        return self.text is not None


def reply(session: Session, practice: Practice, question: Question, *, phone: bool, now: dt.datetime) -> FaqReply:
    """The answer from the practice's settings, for a screen (`phone` False) or a text/call."""
    topic = question.topic
    if topic is None:
        return FaqReply(question, from_settings(practice, question, now))
    stored = stored_answer(session, practice.id, topic)
    if stored is None:
        return FaqReply(question, None)
    return FaqReply(question, written_answer(practice, topic, stored.answer, stored.link_url, phone=phone))


def stored_answer(session: Session, practice_id: int, topic: FaqTopic) -> PracticeFaqAnswer | None:
    return session.scalars(
        select(PracticeFaqAnswer).where(PracticeFaqAnswer.practice_id == practice_id, PracticeFaqAnswer.topic == topic)
    ).first()


def written_answer(
    practice: Practice, topic: FaqTopic, answer: str, link_url: str | None, *, phone: bool
) -> str | None:
    """The practice's own answer with its link, fitted to the channel; None when it may not
    go out on this channel (clinical details on a text or call the practice keeps them out of)."""
    body = text("faq.answer", answer=answer.strip())
    link_line = text(f"faq.link.{topic.value}", url=link_url) if link_url else None
    if not phone:
        return f"{body}\n{link_line}" if link_line else body
    if phone_problems(practice, body):
        return None
    return fit_for_phone(body, link_line)


def phone_problems(practice: Practice, answer: str) -> list[str]:
    """What in `answer` a text or call may not carry for this practice ([] when fine).  The
    practice's own name ("Lakeside Counseling") is not a clinical detail."""
    if practice.sms_clinical_details_allowed:
        return []
    without_name = answer.replace(practice.name, " ")
    return clinical_details(without_name, clinician_names=[clinician.display_name for clinician in practice.clinicians])


def from_settings(practice: Practice, question: Question, now: dt.datetime) -> str | None:
    """Hours, the policy and how to reach a person, from the settings the practice keeps."""
    if question in (Question.HOURS, Question.OPEN_NOW):
        return _hours(practice, question, now)
    if question is Question.CANCELLATION_POLICY:
        return faq_hours.cancellation_policy_answer(practice.cancellation_window_hours, practice.late_cancel_fee_cents)
    if question is Question.CONTACT:
        return _contact(practice, now)
    raise ValueError(f"{question} is answered in the practice's own words, not from settings")


def _hours(practice: Practice, question: Question, now: dt.datetime) -> str | None:
    hours = practice_hours(practice)
    if hours.always_open:
        # No hours entered (the hand-off promise then treats the desk as always staffed);
        # telling a client "open around the clock" would be invented, so a person answers.
        return None
    state = opening_hours.open_state(hours, now)
    if question is Question.OPEN_NOW:
        return faq_hours.open_now_answer(state, hours.zone, now)
    return faq_hours.hours_answer(opening_hours.week_groups(hours), state, hours.zone, now)


def _contact(practice: Practice, now: dt.datetime) -> str:
    promise = promise_wording.handoff_promise(promise_for(practice, now), now)
    answer = text("faq.contact", promise=promise)
    if practice.phone_e164:
        answer += text("faq.contact.phone", phone=_national(practice.phone_e164))
    return answer


def _national(e164: str) -> str:
    """+15555550100 -> (555) 555-0100, as people write their own country's numbers."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
