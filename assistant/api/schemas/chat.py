"""The web chat's JSON shapes (requests and responses), shared by its two routers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from assistant.api.types import clean_or_none
from assistant.screen.control_chars import strip_control_chars
from assistant.store.models import Message

MAX_MESSAGE_CHARS = 2000
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"

StateName = Literal["bot", "handoff_pending", "with_rep", "resolved"]
# Why a code was not accepted (verification_codes.CodeOutcome, less "verified").
CodeError = Literal["wrong_code", "locked"]


class PracticePublic(BaseModel):
    slug: str
    name: str
    # IANA zone (e.g. "America/New_York"): the widget shows every time in the practice's zone.
    timezone: str | None = None


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    date_of_birth: dt.date | None = None
    practice: str | None = Field(default=None, pattern=SLUG_PATTERN)

    @model_validator(mode="after")
    def _both_or_neither(self) -> SessionCreate:
        if (self.name is None) != (self.date_of_birth is None):
            raise ValueError("give both name and date_of_birth, or neither")
        return self


class SessionCreatedPublic(BaseModel):
    session_id: str
    token: str
    verified: bool


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_MESSAGE_CHARS)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("message text contains a NUL character")
        value = strip_control_chars(value).strip()  # accept() would drop them anyway
        if not value:
            raise ValueError("message text is empty")
        return value


class Button(BaseModel):
    title: str
    payload: str


class Reply(BaseModel):
    text: str
    buttons: list[Button] = []


class TurnPublic(BaseModel):
    replies: list[Reply]
    state: Literal["bot", "handoff_pending", "with_rep", "resolved"]
    # Present (true) only while the assistant is out for a moment: `replies` is a "one moment"
    # to show as a pending state (not part of the transcript); the answer arrives in the transcript.
    pending: Literal[True] | None = None


class MessagePublic(BaseModel):
    id: int
    author: Literal["client", "bot", "rep", "system"]
    author_name: str | None = None  # a rep's display name, when known
    text: str
    buttons: list[Button] = []
    created_at: dt.datetime


def message_out(message: Message, rep_names: dict[int, str]) -> MessagePublic:
    """A message as the client's own chat shows it: with the working link or code sent to
    them (`client_text`), not the masked copy reps see."""
    return MessagePublic(
        id=message.id,
        author=message.author.value,
        author_name=rep_names.get(message.id),
        text=message.client_text or message.text,
        buttons=[Button(**b) for b in message.buttons or []],
        created_at=message.created_at,
    )


class TranscriptPublic(BaseModel):
    messages: list[MessagePublic]
    state: StateName
    verified: bool
    has_more: bool


class StreamTokenPublic(BaseModel):
    stream_token: str
    expires_in: int


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    date_of_birth: dt.date


class CodeRequestedPublic(BaseModel):
    detail: str


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str

    @field_validator("code")
    @classmethod
    def _six_digits(cls, value: str) -> str:
        value = "".join(value.split())
        # ASCII only: str.isdigit() also accepts superscripts and other scripts' digits.
        if len(value) != 6 or not all("0" <= char <= "9" for char in value):
            raise ValueError("the code is 6 digits")
        return value


class CodeResultPublic(BaseModel):
    verified: bool
    error: CodeError | None
    attempts_left: int
    state: StateName


# --- "Did we help?" (routes/chat_feedback.py) ------------------------------------------------

MAX_FEEDBACK_COMMENT_CHARS = 500
MAX_RESOLUTION_ID = 2**31 - 1  # a ticket id is a 32-bit INTEGER column: a larger number is a 422, not a 500


class FeedbackQuestionPublic(BaseModel):
    # The resolution asked about (None: no question is open), and what the widget shows.
    resolution: int | None
    question: str
    comment_label: str
    thanks: str


def _no_nul(value: object) -> object:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("the comment contains a NUL character")
    return value


FeedbackComment = Annotated[
    str,
    StringConstraints(max_length=MAX_FEEDBACK_COMMENT_CHARS),
    BeforeValidator(_no_nul),
    AfterValidator(clean_or_none),
]


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolution: int = Field(ge=1, le=MAX_RESOLUTION_ID)
    rating: Literal["up", "down"]
    # NUL is refused, not dropped: it is in no comment a person typed (a probe, or a broken client).
    comment: FeedbackComment | None = None


class FeedbackPublic(BaseModel):
    resolution: int
    rating: Literal["up", "down"]
    thanks: str
