"""A session's video (telehealth) link given to its client by the bot, recorded for the audit
trail (who was shown what) and for the insights' self-service panel.

The link itself is the clinician's standing meeting URL, not a one-time link, so nothing is
issued: only the fact that it was given, to whom, for which session and on which channel.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from assistant.services import audit
from assistant.store.models import Appointment, Channel, Client

VIDEO_LINK_SENT = "video_link_sent"


def record_video_link_sent(
    session: Session,
    client: Client,
    appointment: Appointment,
    *,
    channel: Channel,
    now: dt.datetime,
    request_id: str | None = None,
) -> None:
    if appointment.client_id != client.id:
        raise PermissionError("a video link is only ever given to the session's own client")
    audit.record(
        session,
        actor=f"client:{client.id}",
        action=VIDEO_LINK_SENT,
        subject_type="appointment",
        subject_id=appointment.id,
        details={"channel": channel.value},
        request_id=request_id,
        at=now,
    )
