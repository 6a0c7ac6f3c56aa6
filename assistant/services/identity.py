"""Matching a person to a client record before anything private is disclosed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.scheduling.parsing import normalize_name
from assistant.store.models import Client

MAX_VERIFICATION_FAILURES = 3


def find_client_by_identity(session: Session, practice_id: int, full_name: str,
                            date_of_birth: dt.date) -> Client | None:
    """The one client with this date of birth whose name matches; None if none or ambiguous.

    Matching is on first and last name (middle names and punctuation ignored),
    so "jordan  LEE." matches Jordan Lee but "Jordan" alone does not.
    """
    given = normalize_name(full_name).split()
    if len(given) < 2:
        return None
    candidates = session.scalars(
        select(Client).where(Client.practice_id == practice_id,
                             Client.date_of_birth == date_of_birth)).all()
    matches = [
        client for client in candidates
        if given[0] == normalize_name(client.first_name).split()[0]
        and given[-1] == normalize_name(client.last_name).split()[-1]
    ]
    return matches[0] if len(matches) == 1 else None
