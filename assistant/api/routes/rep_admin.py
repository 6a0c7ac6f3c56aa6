"""Rep API for admins: reps, canned responses, practice settings, the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from assistant.api.deps import (
    CurrentAdmin,
    RequestIdDep,
    SessionDep,
    get_current_admin,
    get_or_404,
)
from assistant.api.routes.rep_common import (
    NO_STORE,
    console_errors,
    practice_of_rep,
)
from assistant.api.schemas.common import DeletedPublic
from assistant.api.schemas.media import CsvDocument
from assistant.api.schemas.rep_admin import (
    AuditLogPublic,
    CannedResponsePublic,
    PracticeSettingsPublic,
    RepPublic,
    RepsPublic,
)
from assistant.api.schemas.rep_requests import (
    CannedIn,
    RepIn,
    RepPatch,
    SettingsPatch,
)
from assistant.api.types import DbId, IsoDate
from assistant.services import admin as admin_ops
from assistant.services import audit
from assistant.services import audit_log as audit_log_ops
from assistant.services.audit_labels import ACTION_LABELS
from assistant.store.models import (
    CannedResponse,
    Rep,
    RepRole,
    utcnow,
)

router = APIRouter(dependencies=[Depends(get_current_admin)])


# --- admin: reps -------------------------------------------------------------------------


def rep_in_practice(session: SessionDep, rep_id: int, admin: Rep) -> Rep:
    rep = get_or_404(session, Rep, rep_id, "rep")
    if rep.practice_id != admin.practice_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this rep belongs to another practice")
    return rep


@router.get("/reps", response_model=RepsPublic)
def list_reps(admin: CurrentAdmin, session: SessionDep) -> RepsPublic:
    reps = [admin_ops.rep_view(rep) for rep in admin_ops.list_reps(session, admin.practice_id)]
    return RepsPublic.model_validate({"reps": reps}, from_attributes=True)


@router.post("/reps", status_code=status.HTTP_201_CREATED, response_model=RepPublic)
def create_rep(body: RepIn, admin: CurrentAdmin, session: SessionDep) -> admin_ops.RepView:
    with console_errors():
        rep = admin_ops.create_rep(
            session,
            admin,
            email=body.email,
            display_name=body.display_name,
            password=body.password,
            role=RepRole(body.role),
        )
    return admin_ops.rep_view(rep)


@router.patch("/reps/{rep_id}", response_model=RepPublic)
def update_rep(rep_id: DbId, body: RepPatch, admin: CurrentAdmin, session: SessionDep) -> admin_ops.RepView:
    rep = rep_in_practice(session, rep_id, admin)
    with console_errors():
        admin_ops.update_rep(
            session,
            admin,
            rep,
            display_name=body.display_name,
            role=RepRole(body.role) if body.role else None,
            active=body.active,
            password=body.password,
        )
    return admin_ops.rep_view(rep)


@router.delete("/reps/{rep_id}", response_model=RepPublic)
def deactivate_rep(rep_id: DbId, admin: CurrentAdmin, session: SessionDep) -> admin_ops.RepView:
    """Reps are deactivated, never deleted: the audit log keeps pointing at them."""
    rep = rep_in_practice(session, rep_id, admin)
    with console_errors():
        admin_ops.update_rep(session, admin, rep, active=False)
    return admin_ops.rep_view(rep)


# --- admin: canned responses ------------------------------------------------------------


def canned_in_practice(session: SessionDep, item_id: int, admin: Rep) -> CannedResponse:
    item = get_or_404(session, CannedResponse, item_id, "canned response")
    if item.practice_id != admin.practice_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this canned response belongs to another practice")
    return item


@router.post("/canned-responses", status_code=status.HTTP_201_CREATED, response_model=CannedResponsePublic)
def create_canned(body: CannedIn, admin: CurrentAdmin, session: SessionDep) -> admin_ops.CannedView:
    return admin_ops.canned_view(admin_ops.save_canned(session, admin, None, title=body.title, body=body.body))


@router.patch("/canned-responses/{item_id}", response_model=CannedResponsePublic)
def update_canned(item_id: DbId, body: CannedIn, admin: CurrentAdmin, session: SessionDep) -> admin_ops.CannedView:
    item = canned_in_practice(session, item_id, admin)
    return admin_ops.canned_view(admin_ops.save_canned(session, admin, item, title=body.title, body=body.body))


@router.delete("/canned-responses/{item_id}", response_model=DeletedPublic)
def delete_canned(item_id: DbId, admin: CurrentAdmin, session: SessionDep) -> DeletedPublic:
    admin_ops.delete_canned(session, admin, canned_in_practice(session, item_id, admin))
    return DeletedPublic(deleted=True)


# --- admin: practice settings -----------------------------------------------------------


@router.get("/settings", response_model=PracticeSettingsPublic)
def get_settings(admin: CurrentAdmin, session: SessionDep) -> admin_ops.PracticeSettingsView:
    return admin_ops.settings_view(practice_of_rep(session, admin))


@router.patch("/settings", response_model=PracticeSettingsPublic)
def update_settings(body: SettingsPatch, admin: CurrentAdmin, session: SessionDep) -> admin_ops.PracticeSettingsView:
    practice = practice_of_rep(session, admin)
    with console_errors():
        admin_ops.update_settings(session, admin, practice, body.model_dump(exclude_unset=True))
    return admin_ops.settings_view(practice)


# --- admin: audit log ------------------------------------------------------------------


def _audit_filter(
    rep_id: Annotated[DbId | None, Query()] = None,
    action: Annotated[str | None, Query(max_length=100, pattern=r"^[a-z0-9_]*$")] = None,
    since: Annotated[IsoDate | None, Query(description="first day, practice time")] = None,
    until: Annotated[IsoDate | None, Query(description="last day (included), practice time")] = None,
    before_id: Annotated[DbId | None, Query()] = None,
) -> audit_log_ops.AuditFilter:
    if since and until and since > until:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "the start date is after the end date")
    return audit_log_ops.AuditFilter(
        rep_id=rep_id, action=action or None, since=since, until=until, before_id=before_id
    )


AuditFilterDep = Annotated[audit_log_ops.AuditFilter, Depends(_audit_filter)]


@router.get("/audit", response_model=AuditLogPublic)
def audit_log(
    admin: CurrentAdmin,
    session: SessionDep,
    wanted: AuditFilterDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditLogPublic:
    zone = audit_log_ops.practice_zone(session, admin.practice_id)
    # One more than asked tells whether an older page exists.
    events = audit_log_ops.filtered_events(session, admin.practice_id, wanted, limit=limit + 1, zone=zone)
    page = events[:limit]
    return AuditLogPublic.model_validate(
        {
            "events": audit_log_ops.audit_views(session, admin.practice_id, page),
            "next_before_id": page[-1].id if len(events) > limit else None,
            "actions": [{"action": key, "label": label} for key, label in sorted(ACTION_LABELS.items())],
        },
        from_attributes=True,
    )


@router.get("/audit.csv", response_class=CsvDocument)
def audit_export(
    admin: CurrentAdmin, session: SessionDep, request_id: RequestIdDep, wanted: AuditFilterDep
) -> Response:
    audit.record(
        session,
        actor=f"rep:{admin.id}",
        action="audit_exported",
        subject_type="practice",
        subject_id=admin.practice_id,
        request_id=request_id,
    )
    body = "".join(audit_log_ops.audit_csv(session, admin.practice_id, wanted))
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )
