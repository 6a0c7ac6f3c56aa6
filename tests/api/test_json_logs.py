"""The gateway's log is JSON lines, uvicorn's own lines included, with no input in it: no
query strings, no tokens from paths, no exception messages or tracebacks.

Runs the real uvicorn with the stack's own command line (assistant/stack.py, with its
--log-config) against a database whose practices table has gone, so a route fails with
an exception nobody handles.  The same server also shows the body cap on real chunked
framing.  The in-process part checks that `configure` takes over uvicorn's default
(plain-text) loggers too, as app_from_env does when uvicorn runs without --log-config.
"""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn.config

from assistant.logs import configure
from assistant.stack import Stack, StackConfig, free_port

SECRETS = ("QUERYSECRET", "secretslug", "PATHSECRET123")
HUGE = 2_700_000


class GatewayOnly(Stack):
    """The stack's gateway command, optionally with uvicorn's own access log switched on."""

    def __init__(self, config: StackConfig, *, uvicorn_access_log: bool) -> None:
        super().__init__(config)
        self.uvicorn_access_log = uvicorn_access_log

    def _commands(self) -> dict[str, tuple[list[str], dict[str, str]]]:
        commands = super()._commands()
        command, env = commands["gateway"]
        assert "--log-config" in command
        if self.uvicorn_access_log:
            command = [part for part in command if part != "--no-access-log"]
        return {"gateway": (command, env)}


@pytest.fixture
def broken_database(database_url: str) -> str:
    """Migrated demo data, then the practices table renamed away: practice lookups raise."""
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
        db.execute("ALTER TABLE practices RENAME TO practices_gone")
    return database_url


def _wait_until_up(base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/widget.js", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.2)


def _chunks(size: int) -> Iterator[bytes]:
    yield b"Body="
    for _ in range(size // 65536):
        yield b"a" * 65536


@pytest.mark.parametrize("uvicorn_access_log", [False, True], ids=["stack", "uvicorn-access-log-on"])
def test_the_real_server_logs_json_lines_without_input(
    broken_database: str, tmp_path: Path, uvicorn_access_log: bool
) -> None:
    port = free_port()
    config = StackConfig(
        model=tmp_path / "no-model",
        database_url=broken_database,
        gateway_port=port,
        rasa_port=free_port(),
        action_port=free_port(),
        log_dir=tmp_path / "logs",
        extra_env={"ASSISTANT_ENV": "test", "LOG_LEVEL": "INFO", "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"},
    )
    stack = GatewayOnly(config, uvicorn_access_log=uvicorn_access_log)
    base, log = config.gateway_url, config.log_dir / "gateway.log"
    stack._spawn("gateway")  # only the gateway: no Rasa or action server needed here
    try:
        _wait_until_up(base, log)
        with httpx.Client(base_url=base, timeout=30) as http:
            assert http.get("/widget.js", params={"stream_token": "QUERYSECRET"}).status_code == 200
            failed = http.get("/api/chat/practices/secretslug", params={"stream_token": "QUERYSECRET"})
            assert http.get("/nope/PATHSECRET123").status_code == 404
            chunked = http.post(
                "/twilio/sms", content=_chunks(HUGE), headers={"Content-Type": "application/x-www-form-urlencoded"}
            )
            declared = http.post(
                "/twilio/sms",
                content=b"Body=" + b"a" * 40_000,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
    finally:
        stack.stop()

    assert failed.status_code == 500
    request_id = failed.headers["x-request-id"]
    assert failed.json() == {"detail": "internal error", "request_id": request_id}
    assert chunked.request.headers["transfer-encoding"] == "chunked" and chunked.status_code == 413
    assert declared.status_code == 413

    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]  # each line is JSON
    assert all({"ts", "level", "logger", "event"} <= set(line) for line in lines)
    assert any(line["logger"] == "uvicorn.error" and "Uvicorn running" in line["event"] for line in lines)
    errors = [line for line in lines if line["event"] == "unhandled_error"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == request_id and errors[0]["error"] == "OperationalError"
    assert errors[0]["route"] == "/api/chat/practices/{slug}" and "where" in errors[0]
    access = [line for line in lines if line["logger"] == "api.access"]
    assert any(
        line.get("request_id") == request_id
        and line["status"] == 500
        and line["method"] == "GET"
        and line["route"] == "/api/chat/practices/{slug}"
        for line in access
    )
    assert all(isinstance(line["duration_ms"], float) for line in access)
    assert any(line["status"] == 413 and line["method"] == "POST" for line in access)
    if uvicorn_access_log:
        served = [line for line in lines if line["logger"] == "uvicorn.access"]
        assert any(line["path"] == "/widget.js" and line["status"] == 200 for line in served)
        assert any(line["path"] == "/nope/…" and line["status"] == 404 for line in served)
    else:
        assert not any(line["logger"] == "uvicorn.access" for line in lines)
    # uvicorn's access lines can only give the path without its query (no route template
    # there): a plain word in a path may show, anything id- or token-like may not.
    for secret in SECRETS if not uvicorn_access_log else ("QUERYSECRET", "PATHSECRET123"):
        assert secret not in text
    assert "Traceback" not in text and "no such table" not in text


@pytest.fixture
def restore_logging() -> Iterator[None]:
    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access"]
    saved = {
        name: (
            logging.getLogger(name).handlers[:],
            logging.getLogger(name).filters[:],
            logging.getLogger(name).propagate,
            logging.getLogger(name).level,
        )
        for name in names
    }
    yield
    for name, (handlers, filters, propagate, level) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:], logger.filters[:] = handlers, filters
        logger.propagate, logger.level = propagate, level


def test_configure_takes_over_uvicorns_default_loggers(restore_logging: None, monkeypatch: pytest.MonkeyPatch) -> None:
    logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)  # what uvicorn sets up by default
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    configure("INFO")
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "10.1.2.3:5000",
        "GET",
        "/api/chat/sessions/3f2a9c1e-7d5b-4e8a-9c0d-1b2e3f4a5b6c/events?stream_token=QUERYSECRET",
        "1.1",
        200,
    )
    try:
        raise ValueError("card 4111111111111111 is wrong")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["logger"] for line in lines] == ["uvicorn.error", "uvicorn.access", "uvicorn.error"]
    assert lines[0]["event"] == "Started server process [42]"
    assert lines[1]["event"] == "http_request"
    assert (lines[1]["method"], lines[1]["path"], lines[1]["status"]) == ("GET", "/api/chat/sessions/…/events", 200)
    assert (lines[2]["error"], lines[2]["event"]) == ("ValueError", "Exception in ASGI application")
    assert "QUERYSECRET" not in stream.getvalue() and "4111" not in stream.getvalue()
    assert "10.1.2.3" not in stream.getvalue()
