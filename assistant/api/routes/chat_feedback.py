"""The web chat's "Did we help?" after a rep resolved the conversation (services/closure.py asks).

`GET .../feedback` says whether a question is open (and its wording, from the catalog); `POST`
answers it once: a second answer is refused with 409, bad input with 422, and neither changes
anything.  Both need the chat session's bearer token, like every per-session chat route.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.api.deps import ChatConversationDep, ChatConversationReadDep, ReadSessionDep, SessionDep
from assistant.screen.control_chars import strip_control_chars
from assistant.services import conversation_feedback as feedback
from assistant.store.models import FeedbackRating
from assistant.wording.catalog import text as wording

MAX_COMMENT_CHARS = 500
MAX_ID = 2**31 - 1  # a ticket id is a 32-bit INTEGER column: a larger number is a 422, not a 500

router = APIRouter(prefix="/api/chat", tags=["chat"])


class FeedbackQuestion(BaseModel):
    # The resolution asked about (None: no question is open), and what the widget shows.
    resolution: int | None
    question: str
    comment_label: str
    thanks: str


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolution: int = Field(ge=1, le=MAX_ID)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_CHARS)

    @field_validator("comment")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "\x00" in value:
            raise ValueError("the comment contains a NUL character")
        return strip_control_chars(value).strip() or None


class FeedbackStored(BaseModel):
    resolution: int
    rating: Literal["up", "down"]
    thanks: str


def _question(resolution: int | None) -> FeedbackQuestion:
    return FeedbackQuestion(
        resolution=resolution,
        question=wording("widget.feedback_question"),
        comment_label=wording("widget.feedback_comment_label"),
        thanks=wording("widget.feedback_thanks"),
    )


@router.get("/sessions/{session_id}/feedback", response_model=FeedbackQuestion)
def feedback_question(conversation: ChatConversationReadDep, session: ReadSessionDep) -> FeedbackQuestion:
    """The open "Did we help?" question of this chat, if a rep resolved it and it is unanswered."""
    asked = feedback.open_question(session, conversation)
    return _question(asked.ticket_id if asked is not None else None)


@router.post(
    "/sessions/{session_id}/feedback",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackStored,
    responses={404: {"description": "no question was asked"}, 409: {"description": "already answered"}},
)
def answer_feedback(body: FeedbackIn, conversation: ChatConversationDep, session: SessionDep) -> FeedbackStored:
    try:
        stored = feedback.answer(session, conversation, body.resolution, FeedbackRating(body.rating), body.comment)
    except feedback.FeedbackError as error:
        raise HTTPException(error.status_code, error.detail) from error
    return FeedbackStored(resolution=stored.ticket_id, rating=body.rating, thanks=wording("widget.feedback_thanks"))
