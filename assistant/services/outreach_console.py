"""The rules editor: a practice's outreach settings as admins see and change them, and a
template preview with a real or sample client's values.

Saving checks every template the practice changed with `templates.problems` (which needs
the practice's clinicians and its clinical-details setting), so a text that would break the
healthcare texting rules is refused with the reason before it can ever be sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.outreach import templates
from assistant.outreach.sender import session_values
from assistant.outreach.settings import OutreachSettings, default_template, settings_for
from assistant.services import audit
from assistant.services.console import ConsoleError, NotAllowed, actor
from assistant.store.models import Appointment, AppointmentStatus, Client, Clinician, Practice, Rep

KIND_LABELS = {
    "reminder": "Reminder before a session",
    "booking_confirmation": "Confirmation when a session is booked or moved",
    "no_show": "After a missed session",
    "cancelled_not_rebooked": "After a cancellation with nothing rebooked",
    "no_next_session": "When no next session is booked",
    "dropped_off_checkin": "Automatic check-in for a dropped-off client",
    "manual_checkin": "Check-in texted from the dropped-off worklist",
}


class TemplateRefused(ConsoleError):
    status_code = 422


@dataclass(frozen=True)
class TemplateView:
    kind: str
    label: str
    text: str
    default_text: str
    is_default: bool


@dataclass(frozen=True)
class OutreachSettingsView:
    settings: dict[str, Any]
    templates: list[TemplateView]
    variables: list[str]
    clinical_details_allowed: bool


@dataclass(frozen=True)
class PreviewView:
    text: str
    segments: int
    characters: int
    problems: list[str]
    client_id: int | None


def clinician_names(session: Session, practice: Practice) -> list[str]:
    return list(session.scalars(select(Clinician.display_name).where(Clinician.practice_id == practice.id)))


def template_problems(session: Session, practice: Practice, text: str) -> list[str]:
    return templates.problems(
        text,
        clinician_names=clinician_names(session, practice),
        clinical_allowed=practice.sms_clinical_details_allowed,
    )


def settings_view(practice: Practice) -> OutreachSettingsView:
    settings = settings_for(practice)
    return OutreachSettingsView(
        settings=settings.model_dump(mode="json", exclude={"templates"}),
        templates=[
            TemplateView(
                kind=kind,
                label=KIND_LABELS.get(kind, kind),
                text=text,
                default_text=default_template(kind),
                is_default=text == default_template(kind),
            )
            for kind, text in settings.all_templates().items()
        ],
        variables=sorted(templates.VARIABLES),
        clinical_details_allowed=practice.sms_clinical_details_allowed,
    )


def save_settings(
    session: Session, admin: Rep, practice: Practice, new: OutreachSettings, *, request_id: str | None = None
) -> OutreachSettingsView:
    """Replace the practice's outreach settings; TemplateRefused names the first bad template."""
    if admin.practice_id != practice.id:
        raise NotAllowed("this practice is not yours")
    for kind, text in new.templates.items():
        if text == default_template(kind):
            continue
        found = template_problems(session, practice, text)
        if found:
            raise TemplateRefused(f"{KIND_LABELS.get(kind, kind)}: {' '.join(found)}")
    before = settings_for(practice).to_stored()
    after = new.to_stored()
    practice.outreach_settings = after
    changed = sorted(key for key in after if key != "templates" and after[key] != before.get(key))
    changed_templates = sorted(
        kind
        for kind in {*before["templates"], *after["templates"]}
        if before["templates"].get(kind) != after["templates"].get(kind)
    )
    audit.record(
        session,
        actor=actor(admin),
        action="outreach_settings_updated",
        subject_type="practice",
        subject_id=practice.id,
        details={"changed": changed, "templates_changed": changed_templates},
        request_id=request_id,
    )
    session.flush()
    return settings_view(practice)


def _next_session(session: Session, client: Client, now: dt.datetime) -> Appointment | None:
    return session.scalars(
        select(Appointment)
        .where(
            Appointment.client_id == client.id,
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.starts_at > now,
        )
        .order_by(Appointment.starts_at)
        .limit(1)
    ).first()


def values_for(session: Session, practice: Practice, client: Client | None, *, now: dt.datetime) -> dict[str, str]:
    """The four variables for `client` (their next booked session, else sample times), or
    the sample values with the practice's own name."""
    values = {**templates.SAMPLE_VALUES, "practice_name": practice.name}
    if client is None:
        return values
    values["client_first_name"] = client.first_name
    upcoming = _next_session(session, client, now)
    if upcoming is not None:
        values.update(session_values(practice, upcoming))
    return values


def preview(session: Session, practice: Practice, text: str, client: Client | None, *, now: dt.datetime) -> PreviewView:
    """The text as the client would read it, its segments, and any reason it would be refused."""
    found = template_problems(session, practice, text)
    try:
        rendered = templates.render(text, **values_for(session, practice, client, now=now))
    except templates.TemplateError:
        rendered = ""  # the problems already say why
    return PreviewView(
        text=rendered,
        segments=templates.segments(rendered) if rendered else 0,
        characters=len(rendered),
        problems=found,
        client_id=client.id if client else None,
    )
