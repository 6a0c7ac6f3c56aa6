"""The admin's editor for practice questions: the answers clients get to "where do I park",
"do you take my insurance" and the rest, with a preview of exactly what web chat and SMS
would say (rendered by the service the bot's action uses), and the console page for it.

Admins only (reps get 403), CSRF on every change like the other admin routes; each save
or clear is audited.  Hours, the cancellation policy and how to reach a person are shown
here but edited where they live: Practice settings.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.responses import HTMLResponse

from assistant.api.deps import CurrentAdmin, RequestIdDep, SessionDep, get_current_admin
from assistant.api.routes.console import ConsoleSession, header_context, page
from assistant.api.routes.rep_common import console_errors, practice_of_rep
from assistant.api.schemas.common import DeletedPublic
from assistant.api.schemas.rep_practice_questions import (
    PracticeAnswerIn,
    PracticeQuestionPublic,
    PracticeQuestionsPublic,
    PreviewPublic,
)
from assistant.services.practice_faq import Question, editing
from assistant.store.models import FaqTopic, Practice, RepRole, utcnow

api = APIRouter(prefix="/api/rep/practice-questions", tags=["rep"], dependencies=[Depends(get_current_admin)])
pages = APIRouter(prefix="/console", tags=["console"])


def _topic(question: str) -> FaqTopic:
    """The stored topic for `question`: 404 if no such question, 422 if settings answer it."""
    try:
        known = Question(question)
    except ValueError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such practice question") from None
    if known.topic is None:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"{question} is answered from Practice settings; change it there",
        )
    return known.topic


def _public(view: editing.QuestionView) -> PracticeQuestionPublic:
    return PracticeQuestionPublic(
        question=view.question,
        label=view.label,
        editable=view.editable,
        source=view.source,
        answer=view.answer,
        link_url=view.link_url,
        updated_at=view.updated_at.isoformat() if view.updated_at else None,
        preview=PreviewPublic(web=view.preview.web, sms=view.preview.sms, problems=view.preview.problems),
    )


@api.get("", response_model=PracticeQuestionsPublic)
def list_questions(admin: CurrentAdmin, session: SessionDep) -> PracticeQuestionsPublic:
    practice = practice_of_rep(session, admin)
    views = editing.question_views(session, practice, utcnow())
    return PracticeQuestionsPublic(questions=[_public(view) for view in views])


@api.post("/{question}/preview", response_model=PreviewPublic)
def preview_answer(question: str, body: PracticeAnswerIn, admin: CurrentAdmin, session: SessionDep) -> PreviewPublic:
    """A draft as a client would get it; nothing is saved."""
    topic = _topic(question)
    shown = editing.preview(practice_of_rep(session, admin), topic, body.answer, body.link_url)
    return PreviewPublic(web=shown.web, sms=shown.sms, problems=shown.problems)


@api.put("/{question}", response_model=PracticeQuestionPublic)
def save_answer(
    question: str, body: PracticeAnswerIn, admin: CurrentAdmin, session: SessionDep, request_id: RequestIdDep
) -> PracticeQuestionPublic:
    topic = _topic(question)
    practice = practice_of_rep(session, admin)
    with console_errors():
        editing.save_answer(
            session, admin, practice, topic, answer=body.answer, link_url=body.link_url, request_id=request_id
        )
    return _public(editing.question_view(session, practice, Question(question), utcnow()))


@api.delete("/{question}", response_model=DeletedPublic)
def clear_answer(question: str, admin: CurrentAdmin, session: SessionDep, request_id: RequestIdDep) -> DeletedPublic:
    """From now on a person answers this question."""
    topic = _topic(question)
    cleared = editing.clear_answer(session, admin, practice_of_rep(session, admin), topic, request_id=request_id)
    return DeletedPublic(deleted=cleared)


@pages.get("/practice-questions", response_class=HTMLResponse)
def practice_questions_page(record: ConsoleSession, session: SessionDep) -> HTMLResponse:
    practice = session.get(Practice, record.rep.practice_id)
    assert practice is not None
    if record.rep.role is not RepRole.ADMIN:
        return page(
            "console/admins_only.html",
            "Not allowed",
            scripts=("common.js",),
            status_code=403,
            **header_context(record, practice, "practice_questions"),
        )
    return page(
        "console/practice_questions.html",
        "Practice questions · Front desk console",
        scripts=("common.js", "practice_questions.js"),
        **header_context(record, practice, "practice_questions"),
    )
