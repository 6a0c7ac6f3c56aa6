"""The small practice the store tests build (fixture `clinic` in tests/store/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Clinic:
    """Ids of a small committed practice: one clinician, several clients."""

    practice_id: int
    clinician_id: int
    client_ids: tuple[int, ...]
    office: str
