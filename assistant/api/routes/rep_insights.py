"""Rep API for insights: `GET /api/rep/insights` (every panel for admins, the queue-health
panels for other reps) and `GET /api/rep/insights/{panel}.csv` (one panel's table: exactly the
numbers it plots, from the same service call).  Both need a signed-in rep; an owner panel's
CSV is 403 for a rep who is not an admin; a bad period is a 422.

Both read through a read-only session (ReadSessionDep): on SQLite a deferred transaction, so
a year of aggregates never holds the write lock the chat and SMS writers queue on."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from assistant.api.deps import CurrentRep, ReadSessionDep, get_current_rep
from assistant.api.routes.rep_common import NO_STORE, practice_of_rep
from assistant.api.schemas.media import CsvDocument
from assistant.api.schemas.rep_insights import ChannelFilter, InsightsPublic, PanelKey
from assistant.api.types import IsoDate
from assistant.services import insights as insight_ops
from assistant.services.console_views import as_json
from assistant.store.models import Practice, Rep, RepRole, utcnow

router = APIRouter(dependencies=[Depends(get_current_rep)], tags=["insights"])

FromDate = Annotated[IsoDate | None, Query(alias="from", description="first local day (YYYY-MM-DD), inclusive")]
ToDate = Annotated[IsoDate | None, Query(alias="to", description="last local day (YYYY-MM-DD), inclusive")]
Channel = Annotated[ChannelFilter, Query(description="all, web, sms or voice")]
DEFAULT_DAYS = 30


def _scope(rep: Rep) -> insight_ops.Scope:
    return "owner" if rep.role is RepRole.ADMIN else "queue_health"


def _window(
    practice: Practice, date_from: dt.date | None, date_to: dt.date | None, channel: ChannelFilter
) -> insight_ops.InsightsWindow:
    zone = ZoneInfo(practice.timezone)
    last = date_to or utcnow().astimezone(zone).date()
    first = date_from or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    try:
        return insight_ops.InsightsWindow(first, last, zone, channel)
    except insight_ops.WindowError as error:
        raise HTTPException(422, str(error)) from error


@router.get("/insights", response_model=InsightsPublic)
def get_insights(
    rep: CurrentRep,
    session: ReadSessionDep,
    response: Response,
    date_from: FromDate = None,
    date_to: ToDate = None,
    channel: Channel = "all",
) -> InsightsPublic:
    practice = practice_of_rep(session, rep)
    window = _window(practice, date_from, date_to, channel)
    result = insight_ops.insights(session, practice, window, scope=_scope(rep))
    response.headers.update(NO_STORE)
    return InsightsPublic.model_validate(as_json(result))


@router.get("/insights/{key}.csv", response_class=CsvDocument)
def get_insights_csv(
    key: PanelKey,
    rep: CurrentRep,
    session: ReadSessionDep,
    date_from: FromDate = None,
    date_to: ToDate = None,
    channel: Channel = "all",
) -> Response:
    practice = practice_of_rep(session, rep)
    window = _window(practice, date_from, date_to, channel)
    try:
        panel = insight_ops.panel(session, practice, window, key, scope=_scope(rep))
    except insight_ops.PanelNotAllowed as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only an admin can see this panel") from error
    name = f"{practice.slug}-{key}-{window.date_from.isoformat()}-{window.date_to.isoformat()}-{channel}.csv"
    return Response(
        insight_ops.table_csv(panel.table),
        media_type="text/csv; charset=utf-8",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'},
    )
