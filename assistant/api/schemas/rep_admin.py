"""Response models of the rep API's account and admin routes: the signed-in rep, reps,
canned responses, practice settings and the audit log.

They mirror the admin service's records (assistant/services/admin.py, and audit_log.py for
the audit log) field for field.
"""

from __future__ import annotations

from typing import Any

from assistant.api.schemas.common import PublicModel, Timestamp
from assistant.store.models import RepRole


class RepPublic(PublicModel):
    id: int
    email: str
    display_name: str
    role: RepRole
    active: bool
    is_demo: bool
    practice_id: int
    created_at: Timestamp


class MePublic(PublicModel):
    """The signed-in rep and the session's CSRF token (sent back in `X-CSRF-Token`)."""

    rep: RepPublic
    csrf_token: str
    expires_at: Timestamp


class RepsPublic(PublicModel):
    reps: list[RepPublic]


class CannedResponsePublic(PublicModel):
    id: int
    title: str
    body: str
    updated_at: Timestamp


class CannedResponsesPublic(PublicModel):
    canned_responses: list[CannedResponsePublic]


class PracticeSettingsPublic(PublicModel):
    name: str
    timezone: str
    # Weekday ("mon".."sun") -> open ranges ["HH:MM", "HH:MM"]; days without hours are left out.
    business_hours: dict[str, list[list[str]]]
    response_window_minutes: int
    cancellation_window_hours: int
    late_cancel_fee_cents: int
    dialogue_retention_days: int
    closure_sms_enabled: bool
    oncall_e164: str | None
    front_desk_numbers: list[str]
    voice_name: str | None
    voice_greeting: str | None


class AuditEventPublic(PublicModel):
    id: int
    at: Timestamp
    actor: str
    action: str
    subject_type: str
    subject_id: str
    request_id: str | None
    details: dict[str, Any]
    action_label: str  # "Opened transcript": the words for `action`
    at_text: str  # "Tue Dec 1, 2026, 7:10 AM EST": `at` in the practice's time zone
    actor_name: str  # the rep's name, or "Assistant" / "System" / "Client"
    actor_email: str | None
    client_id: int | None
    client_name: str | None
    conversation_id: str | None  # open it in the console: /console#conversation=<id>


class AuditActionPublic(PublicModel):
    action: str
    label: str


class AuditLogPublic(PublicModel):
    events: list[AuditEventPublic]
    # Pass as `before_id` for the next (older) page; null when this page is the last.
    next_before_id: int | None
    actions: list[AuditActionPublic]  # every labelled action, for the filter
