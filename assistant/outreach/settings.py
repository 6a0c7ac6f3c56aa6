"""A practice's outreach rules: which reminders and follow-ups run, when, and in what words.

Stored as JSON on `Practice.outreach_settings` (None means every default below).  Templates
are kept only where the practice changed them; a missing one is the catalog's
`outreach.template.<kind>` (assistant/wording/en.py).  Whether a template may be saved is
`templates.problems`'s call (it needs the practice's clinicians), made by the service that
saves it; this model checks shapes and ranges.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.logs import get_logger
from assistant.store.models import OutreachKind, Practice
from assistant.wording import catalog

log = get_logger(__name__)

TEMPLATE_KEY_PREFIX = "outreach.template."
MAX_TEMPLATE_CHARS = 1000
KINDS = frozenset(kind.value for kind in OutreachKind)

ReminderHours = Annotated[int, Field(ge=1, le=168)]
Template = Annotated[str, Field(min_length=1, max_length=MAX_TEMPLATE_CHARS)]


def default_template(kind: OutreachKind | str) -> str:
    """The catalog's wording for `kind` (an OutreachKind or its value)."""
    value = kind.value if isinstance(kind, OutreachKind) else kind
    return catalog.template(TEMPLATE_KEY_PREFIX + value)


class OutreachSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)  # 0 is not false, "5" is not 5

    reminders_enabled: bool = True
    reminder_hours: Annotated[list[ReminderHours], Field(min_length=1, max_length=2)] = [48, 24]
    booking_confirmation_enabled: bool = True
    no_show_enabled: bool = True
    no_show_after_minutes: Annotated[int, Field(ge=10, le=24 * 60)] = 60
    cancelled_enabled: bool = True
    cancelled_after_days: Annotated[int, Field(ge=1, le=30)] = 2
    no_next_session_enabled: bool = True
    no_next_session_after_days: Annotated[int, Field(ge=1, le=30)] = 3
    dropped_off_after_days: Annotated[int, Field(ge=7, le=365)] = 30
    dropped_off_auto_checkin: bool = False
    templates: dict[str, Template] = Field(default_factory=dict)

    @field_validator("reminder_hours")
    @classmethod
    def _distinct_hours(cls, hours: list[int]) -> list[int]:
        if len(set(hours)) != len(hours):
            raise ValueError("the two reminders must be at different times")
        return sorted(hours, reverse=True)  # earliest reminder first: [48, 24]

    @field_validator("templates")
    @classmethod
    def _known_kinds(cls, templates: dict[str, str]) -> dict[str, str]:
        unknown = sorted(templates.keys() - KINDS)
        if unknown:
            raise ValueError(f"no outreach text is called {', '.join(unknown)}; use one of {', '.join(sorted(KINDS))}")
        return templates

    def template_for(self, kind: OutreachKind | str) -> str:
        """The practice's wording for `kind`, or the catalog default."""
        value = kind.value if isinstance(kind, OutreachKind) else kind
        return self.templates.get(value) or default_template(value)

    def all_templates(self) -> dict[str, str]:
        """Every kind's wording in effect (custom or default), keyed by kind value."""
        return {kind.value: self.template_for(kind) for kind in OutreachKind}

    def to_stored(self) -> dict[str, Any]:
        """The JSON for `Practice.outreach_settings`: templates equal to the default are
        dropped, so a later change of the catalog's wording reaches this practice too."""
        stored = self.model_dump(mode="json")
        stored["templates"] = {kind: text for kind, text in self.templates.items() if text != default_template(kind)}
        return stored


def settings_for(practice: Practice) -> OutreachSettings:
    """The practice's settings; stored JSON that no longer validates falls back to the
    defaults (logged without its content) rather than stopping every reminder."""
    stored = practice.outreach_settings
    if stored is None:
        return OutreachSettings()
    try:
        return OutreachSettings.model_validate(stored)
    except ValidationError as error:
        log.warning(
            "outreach_settings_invalid",
            practice_id=practice.id,
            errors=[".".join(str(part) for part in item["loc"]) for item in error.errors()],
        )
        return OutreachSettings()
