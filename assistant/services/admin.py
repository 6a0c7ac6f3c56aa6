"""What a practice admin manages: reps, canned responses and practice settings.  Every
change is itself audited (the audit log itself is read and exported by audit_log.py).

Inputs arrive validated for shape and type by the rep API's request models (a known
timezone, an E.164 number, bounded integers, HH:MM times); this module owns the rules that
need the practice: business hours that make sense in its timezone, not demoting yourself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.scheduling import hours
from assistant.services import audit
from assistant.services import reps as rep_accounts
from assistant.store.models import CannedResponse, Practice, Rep, RepRole, utcnow

SETTINGS_FIELDS = (
    "timezone",
    "business_hours",
    "response_window_minutes",
    "cancellation_window_hours",
    "late_cancel_fee_cents",
    "dialogue_retention_days",
    "closure_sms_enabled",
    "oncall_e164",
    "front_desk_numbers",
    "voice_name",
    "voice_greeting",
)


class AdminError(ValueError):
    """A change that cannot be made, with a reason for the admin."""


# What the admin pages read: typed records, in the JSON key order the console has always seen.


@dataclass(frozen=True)
class RepView:
    id: int
    email: str
    display_name: str
    role: str
    active: bool
    is_demo: bool
    practice_id: int
    created_at: str


@dataclass(frozen=True)
class CannedView:
    id: int
    title: str
    body: str
    updated_at: str


@dataclass(frozen=True)
class PracticeSettingsView:
    name: str
    timezone: str
    business_hours: dict[str, list[list[str]]]
    response_window_minutes: int
    cancellation_window_hours: int
    late_cancel_fee_cents: int
    dialogue_retention_days: int  # how long the dialogue model keeps conversation state
    closure_sms_enabled: bool  # a closing text when a rep resolves an SMS conversation
    oncall_e164: str | None
    front_desk_numbers: list[str]  # who a caller is put through to in hours; [] for nobody
    voice_name: str | None  # None: Twilio's default voice
    voice_greeting: str | None  # None: the standard greeting


def rep_view(rep: Rep) -> RepView:
    return RepView(
        id=rep.id,
        email=rep.email,
        display_name=rep.display_name,
        role=rep.role.value,
        active=rep.active,
        is_demo=rep.is_demo,
        practice_id=rep.practice_id,
        created_at=rep.created_at.isoformat(),
    )


def list_reps(session: Session, practice_id: int) -> list[Rep]:
    return list(session.scalars(select(Rep).where(Rep.practice_id == practice_id).order_by(Rep.display_name, Rep.id)))


def create_rep(session: Session, admin: Rep, *, email: str, display_name: str, password: str, role: RepRole) -> Rep:
    try:
        rep_accounts.check_password_strength(password)
        rep = rep_accounts.create_rep(
            session, practice_id=admin.practice_id, email=email, display_name=display_name, password=password, role=role
        )
    except rep_accounts.AccountError as error:
        raise AdminError(str(error)) from error
    audit.record(
        session,
        actor=f"rep:{admin.id}",
        action="rep_created",
        subject_type="rep",
        subject_id=rep.id,
        details={"role": role.value},
    )
    return rep


def update_rep(
    session: Session,
    admin: Rep,
    rep: Rep,
    *,
    display_name: str | None = None,
    role: RepRole | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> Rep:
    changed: list[str] = []
    if rep.id == admin.id and (active is False or role is RepRole.REP):
        raise AdminError("you cannot deactivate or demote yourself; ask another admin")
    if display_name is not None and display_name.strip():
        rep.display_name = display_name.strip()
        changed.append("display_name")
    if role is not None and role is not rep.role:
        rep.role = role
        changed.append("role")
    if active is not None and active is not rep.active:
        rep.active = active
        changed.append("active")
    if password is not None:
        try:
            rep_accounts.check_password_strength(password)
        except rep_accounts.AccountError as error:
            raise AdminError(str(error)) from error
        rep.password_hash = rep_accounts.hash_password(password)
        changed.append("password")
    if {"active", "password", "role"} & set(changed):
        rep_accounts.revoke_sessions(session, rep.id)  # sign them out everywhere
    audit.record(
        session,
        actor=f"rep:{admin.id}",
        action="rep_updated",
        subject_type="rep",
        subject_id=rep.id,
        details={"fields": changed},
    )
    session.flush()
    return rep


def canned_view(item: CannedResponse) -> CannedView:
    return CannedView(id=item.id, title=item.title, body=item.body, updated_at=item.updated_at.isoformat())


def list_canned(session: Session, practice_id: int) -> list[CannedResponse]:
    return list(
        session.scalars(
            select(CannedResponse)
            .where(CannedResponse.practice_id == practice_id)
            .order_by(CannedResponse.title, CannedResponse.id)
        )
    )


def save_canned(session: Session, admin: Rep, item: CannedResponse | None, *, title: str, body: str) -> CannedResponse:
    now = utcnow()
    if item is None:
        item = CannedResponse(practice_id=admin.practice_id, created_at=now, title="", body="")
        session.add(item)
    item.title, item.body, item.updated_at = title.strip(), body.strip(), now
    session.flush()
    audit.record(
        session,
        actor=f"rep:{admin.id}",
        action="canned_response_saved",
        subject_type="canned_response",
        subject_id=item.id,
    )
    return item


def delete_canned(session: Session, admin: Rep, item: CannedResponse) -> None:
    audit.record(
        session,
        actor=f"rep:{admin.id}",
        action="canned_response_deleted",
        subject_type="canned_response",
        subject_id=item.id,
    )
    session.delete(item)


def settings_view(practice: Practice) -> PracticeSettingsView:
    return PracticeSettingsView(
        name=practice.name,
        timezone=practice.timezone,
        business_hours=practice.business_hours,
        response_window_minutes=practice.response_window_minutes,
        cancellation_window_hours=practice.cancellation_window_hours,
        late_cancel_fee_cents=practice.late_cancel_fee_cents,
        dialogue_retention_days=practice.dialogue_retention_days,
        closure_sms_enabled=practice.closure_sms_enabled,
        oncall_e164=practice.oncall_e164,
        front_desk_numbers=list(practice.front_desk_numbers or []),
        voice_name=practice.voice_name,
        voice_greeting=practice.voice_greeting,
    )


def update_settings(session: Session, admin: Rep, practice: Practice, changes: dict[str, Any]) -> Practice:
    """Apply `changes` (some of SETTINGS_FIELDS, already checked for type and shape: a known
    timezone, E.164 numbers or None, bounded integers, HH:MM times, a voice Twilio has)."""
    timezone = changes.get("timezone", practice.timezone)
    if "business_hours" in changes:
        try:
            hours.parse_business_hours(changes["business_hours"], timezone)
        except hours.HoursError as error:
            raise AdminError(f"business hours: {error}") from error
        # Store a clean copy: only days that have hours, as given.
        changes["business_hours"] = {
            day: [list(pair) for pair in changes["business_hours"][day]]
            for day in hours.DAYS
            if changes["business_hours"].get(day)
        }
    if "front_desk_numbers" in changes:
        # Cleared is [] ("put nobody through"), not None: None is "never set", which the demo
        # data loader fills in.
        changes["front_desk_numbers"] = list(changes["front_desk_numbers"] or [])
    for field in SETTINGS_FIELDS:
        if field in changes:
            setattr(practice, field, changes[field])
    audit.record(
        session,
        actor=f"rep:{admin.id}",
        action="practice_settings_updated",
        subject_type="practice",
        subject_id=practice.id,
        details={"fields": sorted(changes)},
    )
    session.flush()
    return practice
