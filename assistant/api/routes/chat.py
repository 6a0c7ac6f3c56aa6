"""Web chat JSON API: the contract the website widget is built on."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Literal

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import select

from assistant.api.deps import (
    ChatConversationDep,
    RequestIdDep,
    SessionDep,
    SettingsDep,
    TurnsDep,
    hash_secret,
)
from assistant.dialogue.turns import accept
from assistant.services.conversations import record_verification_failure, verify_client
from assistant.services.identity import find_client_by_identity
from assistant.store.models import Channel, Conversation, Practice

router = APIRouter(prefix="/api/chat", tags=["chat"])

MAX_MESSAGE_CHARS = 2000


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    date_of_birth: dt.date | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> "SessionCreate":
        if (self.name is None) != (self.date_of_birth is None):
            raise ValueError("give both name and date_of_birth, or neither")
        return self


class SessionCreated(BaseModel):
    session_id: str
    token: str
    verified: bool


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_MESSAGE_CHARS)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("message text is empty")
        if "\x00" in value:
            raise ValueError("message text contains a NUL character")
        return value


class Button(BaseModel):
    title: str
    payload: str


class Reply(BaseModel):
    text: str
    buttons: list[Button] = []


class TurnOut(BaseModel):
    replies: list[Reply]
    state: Literal["bot", "handoff_pending", "with_rep", "resolved"]


@router.post("/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionCreated)
def create_session(session: SessionDep, settings: SettingsDep, request_id: RequestIdDep,
                   body: SessionCreate | None = None) -> SessionCreated:
    practice = session.scalars(select(Practice).where(Practice.slug == settings.practice_slug)).first()
    if practice is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE,
                            "practice is not set up yet: run `assistant demo-data`")
    token = secrets.token_urlsafe(32)
    conversation = Conversation(practice_id=practice.id, channel=Channel.WEB,
                                token_hash=hash_secret(token))
    session.add(conversation)
    session.flush()
    if body is not None and body.name is not None and body.date_of_birth is not None:
        client = find_client_by_identity(session, practice.id, body.name, body.date_of_birth)
        if client is not None:
            verify_client(session, conversation, client, method="name_dob_prechat",
                          request_id=request_id)
        else:
            record_verification_failure(session, conversation)
    return SessionCreated(session_id=conversation.id, token=token,
                          verified=conversation.client_id is not None)


@router.post("/sessions/{session_id}/messages", response_model=TurnOut)
def post_message(body: MessageIn, conversation: ChatConversationDep, session: SessionDep,
                 turns: TurnsDep, request_id: RequestIdDep) -> TurnOut:
    message = accept(session, conversation.id, body.text, request_id=request_id)
    session.commit()  # the message is safe before any processing starts
    result = turns.process(message.id)
    return TurnOut(
        replies=[Reply(text=r.text, buttons=[Button(**b) for b in r.buttons]) for r in result.replies],
        state=result.state.value,
    )
