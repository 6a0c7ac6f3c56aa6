"""On SQLite, Rasa writes its tracker events into a sibling of the store's file, which the
gateway's retention job also writes (deletes): neither side may fail with "database is
locked" while the other writes (both wait on a busy timeout; WAL mode), and the store's own
writers carry on beside them."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import func, select, text

from assistant.store.engine import session_scope
from assistant.store.tracker_events import dialogue_database_url, tracker_events
from tests.rasa_env.conftest import RasaTrackerStore

CONVERSATIONS = 40  # x 3 saves each by Rasa


def test_gateway_and_rasa_write_the_dialogue_file_at_once(demo_database_url: str, tmp_path: Path) -> None:
    rasa = RasaTrackerStore(demo_database_url, None, tmp_path / "rasa")
    rasa.run("count", "warm-up")  # Rasa creates its table first, as `rasa run` does at start-up
    errors: list[BaseException] = []
    writes = [0]
    rasa_process = rasa.start("churn", "busy", str(CONVERSATIONS))

    dialogue_url = dialogue_database_url(demo_database_url)

    def gateway_writes(url: str, statement: str) -> None:
        # Write transactions like the gateway's (BEGIN IMMEDIATE via the store's engine).
        while rasa_process.poll() is None:
            try:
                with session_scope(url) as session:
                    session.execute(text(statement))
                    writes[0] += 1
            except BaseException as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
                return

    retention = (dialogue_url, "DELETE FROM events WHERE sender_id = 'nobody'")  # the retention job's write
    store = (demo_database_url, "UPDATE practices SET name = name")
    threads = [threading.Thread(target=gateway_writes, args=work) for work in (retention, retention, store, store)]
    for thread in threads:
        thread.start()
    result = rasa.result(rasa_process)
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert result == {"saved": CONVERSATIONS}
    assert writes[0] > 0  # the gateway really wrote while Rasa did
    with session_scope(dialogue_url) as session:
        saved = session.scalar(
            select(func.count()).where(tracker_events.c.sender_id.like("busy-%"), tracker_events.c.type_name == "user")
        )
    assert saved == CONVERSATIONS * 3
