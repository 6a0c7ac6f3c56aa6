"""Rep API for outreach: the rules and templates editor (admins), a template preview, each
client's outreach controls and history, marking a session a no-show, and the dropped-off
worklist.  Every route needs a signed-in rep (and CSRF for changes); other practices' clients
and appointments are 403, unknown ones 404."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Response, status

from assistant.api.deps import CurrentAdmin, CurrentRep, RequestIdDep, SessionDep, get_current_rep, get_or_404
from assistant.api.routes.rep_common import NO_STORE, console_errors, practice_of_rep
from assistant.api.schemas.rep_outreach import (
    AppointmentEntryPublic,
    CheckinDraftPublic,
    CheckinIn,
    ClientOutreachPatch,
    ClientOutreachPublic,
    ContactPublic,
    OutreachControlsPublic,
    OutreachSettingsPublic,
    PhoneRemindersPublic,
    PreviewIn,
    PreviewPublic,
    ReachedOutIn,
    WorklistPublic,
)
from assistant.api.types import DbId
from assistant.outreach.settings import OutreachSettings, settings_for
from assistant.services import outreach_client as client_ops
from assistant.services import outreach_console as rules_ops
from assistant.services import outreach_phone_list as phone_list
from assistant.services import outreach_worklist as worklist_ops
from assistant.services.console_views import as_json
from assistant.store.models import Appointment, Client, Rep, utcnow

router = APIRouter(dependencies=[Depends(get_current_rep)], tags=["outreach"])


def _client(session: SessionDep, rep: Rep, client_id: int) -> Client:
    client = get_or_404(session, Client, client_id, "client")
    if client.practice_id != rep.practice_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this client belongs to another practice")
    return client


def _public(model: Any, view: object) -> Any:
    return model.model_validate(as_json(view))


# --- rules and templates (admins) ------------------------------------------------------------


@router.get("/outreach/settings", response_model=OutreachSettingsPublic)
def get_outreach_settings(admin: CurrentAdmin, session: SessionDep, response: Response) -> OutreachSettingsPublic:
    response.headers.update(NO_STORE)
    view = rules_ops.settings_view(practice_of_rep(session, admin))
    result: OutreachSettingsPublic = _public(OutreachSettingsPublic, view)
    return result


@router.put("/outreach/settings", response_model=OutreachSettingsPublic)
def put_outreach_settings(
    body: OutreachSettings, admin: CurrentAdmin, session: SessionDep, request_id: RequestIdDep
) -> OutreachSettingsPublic:
    practice = practice_of_rep(session, admin)
    with console_errors():
        view = rules_ops.save_settings(session, admin, practice, body, request_id=request_id)
    result: OutreachSettingsPublic = _public(OutreachSettingsPublic, view)
    return result


@router.post("/outreach/preview", response_model=PreviewPublic)
def preview_template(body: PreviewIn, rep: CurrentRep, session: SessionDep) -> PreviewPublic:
    """Any rep may preview (the worklist's check-in uses it); only admins save templates."""
    practice = practice_of_rep(session, rep)
    client = _client(session, rep, body.client_id) if body.client_id is not None else None
    view = rules_ops.preview(session, practice, body.template, client, now=utcnow())
    result: PreviewPublic = _public(PreviewPublic, view)
    return result


# --- one client -------------------------------------------------------------------------------


@router.get("/clients/{client_id}/outreach", response_model=ClientOutreachPublic)
def client_outreach(client_id: DbId, rep: CurrentRep, session: SessionDep, response: Response) -> ClientOutreachPublic:
    response.headers.update(NO_STORE)
    client = _client(session, rep, client_id)
    with console_errors():
        view = client_ops.client_outreach(session, rep, client, now=utcnow())
    result: ClientOutreachPublic = _public(ClientOutreachPublic, view)
    return result


@router.patch("/clients/{client_id}/outreach", response_model=OutreachControlsPublic)
def update_client_outreach(
    client_id: DbId, body: ClientOutreachPatch, rep: CurrentRep, session: SessionDep, request_id: RequestIdDep
) -> OutreachControlsPublic:
    client = _client(session, rep, client_id)
    changes = body.model_dump(exclude_unset=True)
    for name in ("paused", "do_not_contact", "discharged", "cadence"):
        if name in changes and changes[name] is None:
            raise HTTPException(422, f"{name} cannot be null")
    with console_errors():
        view = client_ops.update_controls(session, rep, client, changes, now=utcnow(), request_id=request_id)
    result: OutreachControlsPublic = _public(OutreachControlsPublic, view)
    return result


@router.post("/appointments/{appointment_id}/no-show", response_model=AppointmentEntryPublic)
def mark_no_show(
    appointment_id: DbId, rep: CurrentRep, session: SessionDep, request_id: RequestIdDep
) -> AppointmentEntryPublic:
    appointment = get_or_404(session, Appointment, appointment_id, "appointment")
    if appointment.practice_id != rep.practice_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this appointment belongs to another practice")
    with console_errors():
        view = client_ops.mark_no_show(session, rep, appointment, now=utcnow(), request_id=request_id)
    result: AppointmentEntryPublic = _public(AppointmentEntryPublic, view)
    return result


# --- reminders to give by phone (no texts for these clients) -----------------------------------


@router.get("/outreach/phone-reminders", response_model=PhoneRemindersPublic)
def phone_reminders(rep: CurrentRep, session: SessionDep, response: Response) -> PhoneRemindersPublic:
    response.headers.update(NO_STORE)
    entries = phone_list.reminders_to_call(session, practice_of_rep(session, rep), now=utcnow())
    return PhoneRemindersPublic.model_validate({"reminders": [as_json(entry) for entry in entries]})


# --- the dropped-off worklist -----------------------------------------------------------------


@router.get("/outreach/dropped-off", response_model=WorklistPublic)
def dropped_off(rep: CurrentRep, session: SessionDep, response: Response) -> WorklistPublic:
    response.headers.update(NO_STORE)
    practice = practice_of_rep(session, rep)
    with console_errors():
        entries = worklist_ops.worklist(session, rep, practice, now=utcnow())
    return WorklistPublic.model_validate(
        {
            "clients": [as_json(entry) for entry in entries],
            "dropped_off_after_days": settings_for(practice).dropped_off_after_days,
        }
    )


@router.post(
    "/clients/{client_id}/outreach/reached-out", status_code=status.HTTP_201_CREATED, response_model=ContactPublic
)
def reached_out(
    client_id: DbId, body: ReachedOutIn, rep: CurrentRep, session: SessionDep, request_id: RequestIdDep
) -> ContactPublic:
    client = _client(session, rep, client_id)
    note = body.note or None  # an all-whitespace note is no note
    with console_errors():
        view = worklist_ops.reached_out(session, rep, client, note, now=utcnow(), request_id=request_id)
    result: ContactPublic = _public(ContactPublic, view)
    return result


@router.get("/clients/{client_id}/outreach/checkin", response_model=CheckinDraftPublic)
def checkin_draft(client_id: DbId, rep: CurrentRep, session: SessionDep, response: Response) -> CheckinDraftPublic:
    response.headers.update(NO_STORE)
    client = _client(session, rep, client_id)
    with console_errors():
        view = worklist_ops.checkin_draft(session, rep, practice_of_rep(session, rep), client, now=utcnow())
    result: CheckinDraftPublic = _public(CheckinDraftPublic, view)
    return result


@router.post("/clients/{client_id}/outreach/checkin", status_code=status.HTTP_201_CREATED, response_model=ContactPublic)
def text_checkin(
    client_id: DbId, body: CheckinIn, rep: CurrentRep, session: SessionDep, request_id: RequestIdDep
) -> ContactPublic:
    client = _client(session, rep, client_id)
    practice = practice_of_rep(session, rep)
    with console_errors():
        view = worklist_ops.text_checkin(
            session, rep, practice, client, body.template, now=utcnow(), request_id=request_id
        )
    result: ContactPublic = _public(ContactPublic, view)
    return result
