"""The web chat's "Did we help?" after a rep resolved the conversation (services/closure.py asks).

`GET .../feedback` says whether a question is open (and its wording, from the catalog); `POST`
answers it once: a second answer is refused with 409, bad input with 422, and neither changes
anything.  Both need the chat session's bearer token, like every per-session chat route.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from assistant.api.deps import ChatConversationDep, ChatConversationReadDep, ReadSessionDep, SessionDep
from assistant.api.schemas.chat import FeedbackIn, FeedbackPublic, FeedbackQuestionPublic
from assistant.services import conversation_feedback as feedback
from assistant.store.models import FeedbackRating
from assistant.wording.catalog import text as wording

router = APIRouter(prefix="/api/chat", tags=["chat"])


def _question(resolution: int | None) -> FeedbackQuestionPublic:
    return FeedbackQuestionPublic(
        resolution=resolution,
        question=wording("widget.feedback_question"),
        comment_label=wording("widget.feedback_comment_label"),
        thanks=wording("widget.feedback_thanks"),
    )


@router.get("/sessions/{session_id}/feedback", response_model=FeedbackQuestionPublic)
def feedback_question(conversation: ChatConversationReadDep, session: ReadSessionDep) -> FeedbackQuestionPublic:
    """The open "Did we help?" question of this chat, if a rep resolved it and it is unanswered."""
    asked = feedback.open_question(session, conversation)
    return _question(asked.ticket_id if asked is not None else None)


@router.post(
    "/sessions/{session_id}/feedback",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackPublic,
    responses={404: {"description": "no question was asked"}, 409: {"description": "already answered"}},
)
def answer_feedback(body: FeedbackIn, conversation: ChatConversationDep, session: SessionDep) -> FeedbackPublic:
    try:
        stored = feedback.answer(session, conversation, body.resolution, FeedbackRating(body.rating), body.comment)
    except feedback.FeedbackError as error:
        raise HTTPException(error.status_code, error.detail) from error
    return FeedbackPublic(resolution=stored.ticket_id, rating=body.rating, thanks=wording("widget.feedback_thanks"))
