"""Run the same database operation from several threads at the same instant."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.orm import Session


def race(engine: Engine, racers: int, attempt: Callable[[Session, int], object]) -> list[object]:
    """Each racer gets its own session and starts together at a barrier; its result (or the
    exception it raised, after a rollback) is returned in racer order."""
    barrier = threading.Barrier(racers, timeout=30)
    outcomes: list[object] = [None] * racers

    def run(index: int) -> None:
        with Session(engine) as session:
            try:
                # Released together before the first statement: on SQLite the first statement
                # takes the write lock (BEGIN IMMEDIATE), so reading first would serialise them.
                barrier.wait()
                outcomes[index] = attempt(session, index)
                session.commit()
            except Exception as error:  # noqa: BLE001 - every outcome is inspected by the caller
                session.rollback()
                outcomes[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return outcomes
