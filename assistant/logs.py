"""Structured (JSON-lines) logging with a request id that follows a message.

Log calls pass *facts* (ids, intents, outcomes) as keyword fields; message
bodies, names, phone numbers and card data are never logged.  Fields whose
name suggests personal content are dropped as a safety net.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_FORBIDDEN_FIELDS = frozenset({"text", "body", "message", "name", "full_name", "phone", "mobile",
                               "email", "card", "date_of_birth", "dob", "token", "password"})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in (getattr(record, "fields", None) or {}).items():
            if key not in _FORBIDDEN_FIELDS:
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            # The exception type and where it happened, not its message: messages can echo input.
            entry["error"] = record.exc_info[0].__name__
            tb = record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                entry["where"] = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        return json.dumps(entry, default=str)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Per-request chatter from libraries (every health probe) drowns the events that matter.
    for noisy in ("httpx", "httpcore", "alembic", "sanic.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class EventLogger:
    """`log.info("slot_offered", count=3)`: an event name plus structured fields."""

    def __init__(self, name: str) -> None:
        self._logger = logging.getLogger(name)

    def _log(self, level: int, event: str, exc_info: bool = False, **fields: Any) -> None:
        if self._logger.isEnabledFor(level):
            self._logger.log(level, event, extra={"fields": fields}, exc_info=exc_info)

    def info(self, event: str, **fields: Any) -> None:
        self._log(logging.INFO, event, **fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._log(logging.WARNING, event, **fields)

    def error(self, event: str, **fields: Any) -> None:
        self._log(logging.ERROR, event, **fields)

    def exception(self, event: str, **fields: Any) -> None:
        self._log(logging.ERROR, event, exc_info=True, **fields)


def get_logger(name: str) -> EventLogger:
    return EventLogger(name)
