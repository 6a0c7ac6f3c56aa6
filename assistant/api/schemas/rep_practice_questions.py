"""Request and response bodies of the admin's practice-questions editor
(`/api/rep/practice-questions`): shape, type and length here; the rules that need the
practice (an https link, nothing clinical in a text) are the service's."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from assistant.api.schemas.common import PublicModel, Timestamp
from assistant.api.types import CleanText
from assistant.services.practice_faq.editing import MAX_ANSWER_CHARS, MAX_URL_CHARS


class PracticeAnswerIn(BaseModel):
    """An answer as the admin wrote it, and an optional https link (forms, a map, a test)."""

    model_config = ConfigDict(extra="forbid")

    answer: CleanText = Field(min_length=1, max_length=MAX_ANSWER_CHARS)
    link_url: str | None = Field(default=None, max_length=MAX_URL_CHARS)


class PreviewPublic(PublicModel):
    """Exactly what a client would get (None: a person answers instead), and why not."""

    web: str | None
    sms: str | None
    problems: list[str]


class PracticeQuestionPublic(PublicModel):
    question: str
    label: str
    editable: bool  # False: answered from other settings (hours, the policy, the response window)
    source: str | None
    answer: str | None
    link_url: str | None
    updated_at: Timestamp | None
    preview: PreviewPublic


class PracticeQuestionsPublic(PublicModel):
    questions: list[PracticeQuestionPublic]
