"""Running data-changing statements whose row count decides what happens next."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Delete, Update
from sqlalchemy.orm import Session


def affected_rows(session: Session, statement: Update | Delete) -> int:
    """How many rows a (conditional) UPDATE or DELETE matched: 1 means this caller won.

    `Session.execute` is typed to return a plain `Result`, but for an UPDATE or DELETE it
    returns a `CursorResult`, which carries `rowcount`; SQLAlchemy's typing docs say to cast.
    """
    return cast(CursorResult[Any], session.execute(statement)).rowcount
