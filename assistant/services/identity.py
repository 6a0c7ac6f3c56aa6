"""Matching a person to a client record before anything private is disclosed."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.scheduling.parsing import normalize_name
from assistant.store.models import Client

MAX_VERIFICATION_FAILURES = 3


def _name_matches(given: list[str], first_name: str, last_name: str) -> bool:
    first, last = normalize_name(first_name).split(), normalize_name(last_name).split()
    return bool(first and last) and given[0] == first[0] and given[-1] == last[-1]


def _given_names(full_name: str) -> list[str] | None:
    given = normalize_name(full_name).split()
    return given if len(given) >= 2 else None


def find_client_by_identity(
    session: Session, practice_id: int, full_name: str, date_of_birth: dt.date
) -> Client | None:
    """The one client with this date of birth whose name matches; None if none or ambiguous.

    Matching is on first and last name (middle names and punctuation ignored),
    so "jordan  LEE." matches Jordan Lee but "Jordan" alone does not.
    """
    given = _given_names(full_name)
    if given is None:
        return None
    candidates = session.scalars(
        select(Client).where(Client.practice_id == practice_id, Client.date_of_birth == date_of_birth)
    ).all()
    matches = [client for client in candidates if _name_matches(given, client.first_name, client.last_name)]
    return matches[0] if len(matches) == 1 else None


def client_ids_named(session: Session, practice_id: int, full_name: str) -> list[int]:
    """Every client whose first and last name match, whatever their date of birth.

    A failed check counts against each of them: a wrong date of birth for "Jordan Lee"
    was aimed at Jordan Lee.  Names are compared in Python, exactly as for a match
    (accents and punctuation folded), over the practice's names only, not whole rows.
    """
    given = _given_names(full_name)
    if given is None:
        return []
    names = session.execute(
        select(Client.id, Client.first_name, Client.last_name)
        .where(Client.practice_id == practice_id)
        .order_by(Client.id)
    )
    return [client_id for client_id, first, last in names if _name_matches(given, first, last)]


def pick_candidate(answer: str, candidates: list[Client]) -> Client | None:
    """Which of the clients sharing a number this is: "2" (their place in the list) or a
    first name only one of them has; None if the answer says neither."""
    digits = re.findall(r"\d+", answer)
    words = normalize_name(answer).split()
    if len(digits) == 1 and len(digits[0]) <= 2 and 1 <= int(digits[0]) <= len(candidates):
        return candidates[int(digits[0]) - 1]
    named = [client for client in candidates if normalize_name(client.first_name) in words]
    return named[0] if len(named) == 1 else None
