"""Two gateways and two Rasa replicas on one PostgreSQL + Redis (`assistant run --gateways 2
--rasa-replicas 2`, here through the same Stack API): 50 clients texting at once are each
answered exactly once and in order, including while one gateway and one Rasa replica are
killed and brought back by the supervisor."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.demo import load_demo_data
from assistant.stack import Stack, StackConfig, StackError, free_port
from assistant.store.engine import get_engine, session_scope
from assistant.store.migrate import upgrade
from assistant.training import ensure_model
from tests.support.clients import create_client
from tests.support.databases import create_postgres_database, database_url, drop_postgres_database
from tests.support.fake_twilio import FakeTwilio
from tests.support.stack import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, RunningStack
from tests.support.stack_sms import replies_to
from tests.support.texting_load import Texters, assert_answered_once_in_order

TEXTS = ("hi", "when is my next session", "thanks")


def _servers() -> tuple[str, str]:
    postgres, redis = os.environ.get("TEST_POSTGRES_URL", ""), os.environ.get("REDIS_URL", "")
    if not postgres or not redis:
        reason = "the 2-gateway x 2-Rasa topology needs TEST_POSTGRES_URL and REDIS_URL (CI sets both)"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return postgres, redis


@pytest.fixture
def replicated(tmp_path: Path, fake_twilio_api: FakeTwilio) -> Iterator[RunningStack]:
    server, redis = _servers()
    model = ensure_model()
    name = create_postgres_database(server, prefix="topology")
    url = database_url(server, name)
    upgrade(url)
    with session_scope(url) as session:
        load_demo_data(session)
    ports = [free_port(), free_port()]
    config = StackConfig(
        model=model,
        database_url=url,
        gateways=2,
        rasa_replicas=2,
        gateway_ports=ports,
        rasa_ports=[free_port(), free_port()],
        action_port=free_port(),
        redis_url=redis,
        log_dir=tmp_path / "logs",
        extra_env={
            "ASSISTANT_ENV": "test",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports[0]}",
            "REDIS_URL": redis,
            "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
            "TWILIO_API_BASE_URL": fake_twilio_api.url,
        },
    )
    stack = Stack(config)
    try:
        stack.start()
        yield RunningStack(config.gateway_url, url, config.log_dir, stack, fake_twilio_api)
    finally:
        stack.stop()
        get_engine(url).dispose()
        drop_postgres_database(server, name)


def test_several_gateways_or_replicas_are_refused_on_sqlite(tmp_path: Path) -> None:
    config = StackConfig(model=tmp_path / "m", database_url=f"sqlite:///{tmp_path}/x.db", gateways=2)
    with pytest.raises(StackError, match="need PostgreSQL"):
        Stack(config).start()
    assert not (tmp_path / "logs").exists()  # refused before anything started


def test_fifty_clients_on_two_gateways_and_two_replicas_survive_a_kill_of_each(replicated: RunningStack) -> None:
    stack = replicated.processes
    assert sorted(stack.processes) == ["actions", "gateway-1", "gateway-2", "rasa-1", "rasa-2"]
    numbers = [create_client(replicated.database_url).mobile for _ in range(50)]
    generations = {name: stack.supervisor.generation(name) for name in ("gateway-2", "rasa-1")}

    def crash() -> None:
        for name in generations:
            os.kill(stack.server_pid(name), signal.SIGKILL)

    texters = Texters(replicated, stack.config.gateway_urls)
    texters.run(numbers, TEXTS, during=crash)
    for name, generation in generations.items():
        stack.wait_restarted(name, timeout=180, after_generation=generation)
    for form in texters.accepted:
        assert replies_to(replicated, form, timeout=180), form["Body"]
    # gateway-1 stayed up: every text was accepted by one gateway or the other.
    assert len(texters.accepted) == len(numbers) * len(TEXTS) and not texters.refused
    assert_answered_once_in_order(replicated.database_url, replicated.twilio, texters.accepted)
