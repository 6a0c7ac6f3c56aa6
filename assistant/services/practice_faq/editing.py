"""The admin's side of practice questions: every question with its answer and a preview,
and saving or clearing the answers the practice writes (validated, audited).

The preview is rendered by `answers` (the functions the bot's action uses), so what an
admin sees for web chat and for SMS is exactly what a client would get.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from assistant.services import audit
from assistant.services.admin import AdminError
from assistant.services.practice_faq import answers
from assistant.services.practice_faq.questions import FROM_SETTINGS, LABELS, Question
from assistant.store.models import FaqTopic, Practice, PracticeFaqAnswer, Rep

MAX_ANSWER_CHARS = 1000
MAX_URL_CHARS = 500


@dataclass(frozen=True)
class Preview:
    """What a client would get: in web chat, and by text (None: a person answers instead)."""

    web: str | None
    sms: str | None
    problems: list[str]


@dataclass(frozen=True)
class QuestionView:
    question: str
    label: str
    editable: bool
    source: str | None  # where a settings-based answer comes from
    answer: str | None
    link_url: str | None
    updated_at: dt.datetime | None
    preview: Preview


def question_views(session: Session, practice: Practice, now: dt.datetime) -> list[QuestionView]:
    """Every question in the order the admin page lists them."""
    return [question_view(session, practice, question, now) for question in Question]


def question_view(session: Session, practice: Practice, question: Question, now: dt.datetime) -> QuestionView:
    stored = answers.stored_answer(session, practice.id, question.topic) if question.topic else None
    if question.topic is not None and stored is not None:
        shown = preview(practice, question.topic, stored.answer, stored.link_url)
    elif question.topic is not None:
        shown = Preview(web=None, sms=None, problems=[])
    else:
        settled = answers.from_settings(practice, question, now)
        shown = Preview(web=settled, sms=settled, problems=[])
    return QuestionView(
        question=question.value,
        label=LABELS[question],
        editable=question.topic is not None,
        source=FROM_SETTINGS.get(question),
        answer=stored.answer if stored else None,
        link_url=stored.link_url if stored else None,
        updated_at=stored.updated_at if stored else None,
        preview=shown,
    )


def preview(practice: Practice, topic: FaqTopic, answer: str, link_url: str | None) -> Preview:
    """A draft answer as web chat and SMS would show it, and anything that stops it."""
    problems = validation_problems(answer, link_url)
    if problems:
        return Preview(web=None, sms=None, problems=problems)
    sms = answers.written_answer(practice, topic, answer, link_url, phone=True)
    if sms is None:
        found = ", ".join(answers.phone_problems(practice, answer))
        problems.append(
            f"Texts and calls will not carry this answer ({found}): this practice keeps clinical details "
            "out of them, so a person would answer instead. Remove these to send it everywhere."
        )
    return Preview(
        web=answers.written_answer(practice, topic, answer, link_url, phone=False), sms=sms, problems=problems
    )


def validation_problems(answer: str, link_url: str | None) -> list[str]:
    """Why an answer cannot be saved at all ([] when it can)."""
    problems = []
    if not answer.strip():
        problems.append("The answer is empty; clear it instead to have a person answer this question.")
    if len(answer) > MAX_ANSWER_CHARS:
        problems.append(f"Keep the answer to {MAX_ANSWER_CHARS} characters.")
    if link_url is not None:
        parts = urlsplit(link_url)
        if len(link_url) > MAX_URL_CHARS:
            problems.append(f"Keep the link to {MAX_URL_CHARS} characters.")
        elif parts.scheme != "https" or not parts.hostname or any(char.isspace() for char in link_url):
            problems.append("The link must be a full https:// address, such as https://lakeside.example/forms.")
    return problems


def save_answer(
    session: Session,
    admin: Rep,
    practice: Practice,
    topic: FaqTopic,
    *,
    answer: str,
    link_url: str | None,
    request_id: str | None,
) -> PracticeFaqAnswer:
    """Create or replace the practice's answer; refuses what a client could not be sent."""
    link_url = link_url.strip() if link_url and link_url.strip() else None
    problems = validation_problems(answer, link_url)
    if problems:
        raise AdminError(" ".join(problems))
    stored = answers.stored_answer(session, practice.id, topic)
    created = stored is None
    if stored is None:
        stored = PracticeFaqAnswer(practice_id=practice.id, topic=topic, answer="")
        session.add(stored)
    stored.answer, stored.link_url, stored.updated_by_rep_id = answer.strip(), link_url, admin.id
    session.flush()
    audit.record(
        session,
        actor=f"rep:{admin.id}",
        action="practice_answer_saved",
        subject_type="practice",
        subject_id=practice.id,
        # The topic and sizes, not the text: the audit log says who changed what, the page shows it.
        details={"topic": topic.value, "created": created, "chars": len(stored.answer), "link": bool(link_url)},
        request_id=request_id,
    )
    return stored


def clear_answer(session: Session, admin: Rep, practice: Practice, topic: FaqTopic, *, request_id: str | None) -> bool:
    """Remove the answer (a person answers that question from now on); False if there was none."""
    stored = answers.stored_answer(session, practice.id, topic)
    if stored is None:
        return False
    session.delete(stored)
    audit.record(
        session,
        actor=f"rep:{admin.id}",
        action="practice_answer_cleared",
        subject_type="practice",
        subject_id=practice.id,
        details={"topic": topic.value},
        request_id=request_id,
    )
    session.flush()
    return True
