"""Request and response models of the rep API's outreach routes (rules editor, preview,
per-client controls and history, the dropped-off worklist, marking a no-show).

Responses mirror the services' records (assistant/services/outreach_*.py) field for field.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.api.schemas.common import PublicModel, Timestamp
from assistant.api.types import CleanText, DbId, IanaTimezone
from assistant.outreach.settings import MAX_TEMPLATE_CHARS

TemplateText = Annotated[str, Field(min_length=1, max_length=MAX_TEMPLATE_CHARS)]


# --- requests ---------------------------------------------------------------------------------


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: TemplateText
    client_id: DbId | None = None  # None: sample values


class ClientOutreachPatch(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid", strict=True)  # 0 is not false, "5" is not 5

    paused: bool | None = None
    do_not_contact: bool | None = None
    discharged: bool | None = None
    cadence: Literal["weekly", "biweekly", "none"] | None = None
    timezone: IanaTimezone | None = None  # send null to use the practice's


class ReachedOutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: CleanText | None = Field(default=None, max_length=2000)


class CheckinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: TemplateText


# --- responses --------------------------------------------------------------------------------


class OutreachRulesPublic(PublicModel):
    reminders_enabled: bool
    reminder_hours: list[int]
    booking_confirmation_enabled: bool
    no_show_enabled: bool
    no_show_after_minutes: int
    cancelled_enabled: bool
    cancelled_after_days: int
    no_next_session_enabled: bool
    no_next_session_after_days: int
    dropped_off_after_days: int
    dropped_off_auto_checkin: bool


class OutreachTemplatePublic(PublicModel):
    kind: str
    label: str
    text: str
    default_text: str
    is_default: bool


class OutreachSettingsPublic(PublicModel):
    settings: OutreachRulesPublic
    templates: list[OutreachTemplatePublic]
    variables: list[str]
    clinical_details_allowed: bool


class PreviewPublic(PublicModel):
    text: str
    segments: int
    characters: int
    problems: list[str]
    client_id: int | None


class OutreachControlsPublic(PublicModel):
    paused: bool
    paused_at: Timestamp | None
    do_not_contact: bool
    discharged: bool
    discharged_at: Timestamp | None
    cadence: str
    timezone: str | None


class OutreachEntryPublic(PublicModel):
    id: int
    kind: str
    rule: str
    state: str
    reason: str | None
    due_at: Timestamp
    decided_at: Timestamp | None
    delivered: bool
    delivery_status: str | None
    replied_at: Timestamp | None
    confirmed_at: Timestamp | None
    appointment_id: int | None
    session_starts_at: Timestamp | None


class AppointmentEntryPublic(PublicModel):
    id: int
    starts_at: Timestamp
    status: str
    modality: str
    confirmed_at: Timestamp | None
    can_mark_no_show: bool


class ClientOutreachPublic(PublicModel):
    client_id: int
    controls: OutreachControlsPublic
    history: list[OutreachEntryPublic]
    appointments: list[AppointmentEntryPublic]


class WorklistEntryPublic(PublicModel):
    client_id: int
    name: str
    last_session: Timestamp
    last_contact: Timestamp | None
    last_contact_kind: str | None
    last_note: str | None
    can_text: bool


class WorklistPublic(PublicModel):
    clients: list[WorklistEntryPublic]
    dropped_off_after_days: int


class ContactPublic(PublicModel):
    id: int
    client_id: int
    kind: str
    note: str | None
    at: Timestamp
    rep_id: int | None


class CheckinDraftPublic(PublicModel):
    client_id: int
    template: str
    text: str
    segments: int
    problems: list[str]


class PhoneReminderPublic(PublicModel):
    client_id: int
    name: str
    phone: str | None
    session_time: str
    reason: str  # no_sms_consent | opted_out | no_mobile


class PhoneRemindersPublic(PublicModel):
    reminders: list[PhoneReminderPublic]
