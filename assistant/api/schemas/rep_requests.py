"""Request bodies of the rep API (`/api/rep/`).

Each owns the shape and type of what it accepts (lengths, known values, a known timezone,
an E.164 number, HH:MM times); the services own the rules that need the store or the
practice (a strong enough password, business hours that make sense, not demoting yourself).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from assistant.api.types import CleanText, DayHours, IanaTimezone, OptionalPhoneE164, Weekday

MAX_TEXT = 2000


def _not_empty(value: str) -> str:
    if not value:
        raise ValueError("text is empty")
    return value


class TextIn(BaseModel):
    """A rep's reply or note: control characters removed (CleanText), then it must say something."""

    model_config = ConfigDict(extra="forbid")

    text: CleanText = Field(max_length=MAX_TEXT)

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        return _not_empty(value)


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    return_to_bot: bool = False


class RepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: CleanText = Field(min_length=3, max_length=254)
    display_name: CleanText = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1024)
    role: Literal["rep", "admin"] = "rep"

    @field_validator("email", "display_name")
    @classmethod
    def _given(cls, value: str) -> str:
        return _not_empty(value)


class RepPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: CleanText | None = Field(default=None, min_length=1, max_length=200)
    role: Literal["rep", "admin"] | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=1024)


class CannedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: CleanText = Field(min_length=1, max_length=100)
    body: CleanText = Field(min_length=1, max_length=MAX_TEXT)

    @field_validator("title", "body")
    @classmethod
    def _given(cls, value: str) -> str:
        return _not_empty(value)


# Only the on-call number may be cleared; the rest always has a value (send {} for no hours).
CLEARABLE_SETTINGS = frozenset({"oncall_e164"})


class SettingsPatch(BaseModel):
    """A change to the practice's settings: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    timezone: IanaTimezone | None = None
    business_hours: dict[Weekday, DayHours] | None = None
    response_window_minutes: int | None = Field(default=None, ge=5, le=7 * 24 * 60)
    cancellation_window_hours: int | None = Field(default=None, ge=0, le=14 * 24)
    late_cancel_fee_cents: int | None = Field(default=None, ge=0, le=100_000)
    # null or "" clears it (no on-call number).
    oncall_e164: OptionalPhoneE164 = None

    @model_validator(mode="after")
    def _only_clearable_fields_may_be_null(self) -> SettingsPatch:
        cleared = sorted(field for field in self.model_fields_set - CLEARABLE_SETTINGS if getattr(self, field) is None)
        if cleared:
            raise PydanticCustomError("not_empty", "{fields} cannot be empty", {"fields": ", ".join(cleared)})
        return self
