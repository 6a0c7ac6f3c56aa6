"""Request bodies of the rep API (`/api/rep/`).

Each owns the shape and type of what it accepts (lengths, known values, a known timezone,
an E.164 number, HH:MM times); the services own the rules that need the store or the
practice (a strong enough password, business hours that make sense, not demoting yourself).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from assistant.api.types import (
    CleanText,
    DayHours,
    IanaTimezone,
    OptionalPhoneE164,
    PhoneE164,
    Weekday,
    clean_or_none,
)

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
    model_config = ConfigDict(extra="forbid", strict=True)  # 0 is not false, "5" is not 5

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
    model_config = ConfigDict(extra="forbid", strict=True)  # 0 is not false, "5" is not 5

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


# The phone line's voice: Twilio's basic voices, Amazon Polly's ("Polly.Joanna", with
# "-Neural" or "-Generative" for those engines) and Google's ("Google.en-US-Neural2-F").
# Anything else would make Twilio refuse the call's TwiML, so it is refused here.
BASIC_VOICES = frozenset({"alice", "man", "woman"})
_VOICE_NAME = re.compile(
    r"Polly\.[A-Z][A-Za-z]{1,30}(-Neural|-Generative)?|Google\.[a-z]{2,3}-[A-Z]{2}(-[A-Za-z0-9]{1,20}){1,4}"
)
VOICE_MESSAGE = 'must be "alice", "man", "woman", a Polly voice such as "Polly.Joanna-Neural" or a Google voice'
MAX_FRONT_DESK_NUMBERS = 5
MAX_GREETING = 500


def _voice(value: str) -> str:
    if value not in BASIC_VOICES and not _VOICE_NAME.fullmatch(value):
        raise PydanticCustomError("voice_name", VOICE_MESSAGE)
    return value


def _empty_is_none(value: object) -> object:
    # An emptied form field means "none: the default".
    return None if value == "" else value


# Spoken to every caller: control characters removed and trimmed (like CleanText); blank is the default.
Greeting = Annotated[str, StringConstraints(max_length=MAX_GREETING), AfterValidator(clean_or_none)]


def _distinct(numbers: list[str]) -> list[str]:
    if len(set(numbers)) != len(numbers):
        raise PydanticCustomError("duplicate_number", "lists the same number twice")
    return numbers


VoiceName = Annotated[str, Field(max_length=64, examples=["Polly.Joanna-Neural"]), AfterValidator(_voice)]
OptionalVoiceName = Annotated[VoiceName | None, BeforeValidator(_empty_is_none)]
FrontDeskNumbers = Annotated[list[PhoneE164], Field(max_length=MAX_FRONT_DESK_NUMBERS), AfterValidator(_distinct)]
# These may be cleared (null, or an emptied field); the rest always has a value (send {} for no hours).
CLEARABLE_SETTINGS = frozenset({"oncall_e164", "front_desk_numbers", "voice_name", "voice_greeting"})


class SettingsPatch(BaseModel):
    """A change to the practice's settings: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    timezone: IanaTimezone | None = None
    business_hours: dict[Weekday, DayHours] | None = None
    response_window_minutes: int | None = Field(default=None, ge=5, le=7 * 24 * 60)
    cancellation_window_hours: int | None = Field(default=None, ge=0, le=14 * 24)
    late_cancel_fee_cents: int | None = Field(default=None, ge=0, le=100_000)
    # Days the dialogue model keeps conversation state (message text included).
    dialogue_retention_days: int | None = Field(default=None, ge=1, le=3650)
    # When a rep resolves an SMS conversation, text the client that it was closed (off: nothing extra).
    closure_sms_enabled: StrictBool | None = None
    # null or "" clears it (no on-call number).
    oncall_e164: OptionalPhoneE164 = None
    # The phone line: who a caller is put through to in hours (null or [] for nobody), the
    # voice, and the greeting (null or "" for the standard one).
    front_desk_numbers: FrontDeskNumbers | None = None
    voice_name: OptionalVoiceName = None
    voice_greeting: Greeting | None = None

    @model_validator(mode="after")
    def _only_clearable_fields_may_be_null(self) -> SettingsPatch:
        cleared = sorted(field for field in self.model_fields_set - CLEARABLE_SETTINGS if getattr(self, field) is None)
        if cleared:
            raise PydanticCustomError("not_empty", "{fields} cannot be empty", {"fields": ", ".join(cleared)})
        return self
