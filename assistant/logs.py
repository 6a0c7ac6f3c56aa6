"""Structured (JSON-lines) logging with a request id that follows a message.

Log calls pass *facts* (ids, intents, outcomes) as keyword fields; message
bodies, names, phone numbers and card data are never logged.  Fields whose
name suggests personal content are dropped as a safety net.

Everything the gateway process writes is one JSON object per line: our loggers,
uvicorn's (`uvicorn.error`, `uvicorn.access`; `configure` takes them over, and
`uvicorn_log_config` is the same set-up for uvicorn's `--log-config`) and libraries'.
An exception is logged as its type and where it was raised, never its message or
traceback: both can echo the input that caused it.  No line carries a query string
(stream tokens travel there) or an opaque id or token from a path.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_FORBIDDEN_FIELDS = frozenset(
    {
        "text",
        "body",
        "message",
        "name",
        "full_name",
        "phone",
        "mobile",
        "email",
        "card",
        "date_of_birth",
        "dob",
        "token",
        "password",
    }
)


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
        if record.exc_info and record.exc_info[1] is not None:
            # The exception type and where it happened, not its message: messages can echo input.
            error = record.exc_info[1]
            while isinstance(error, BaseExceptionGroup) and error.exceptions:
                error = error.exceptions[0]  # a task group's wrapper: report what went wrong inside
            entry["error"] = type(error).__name__
            tb = error.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                entry["where"] = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        return json.dumps(entry, default=str)


_OPAQUE_SEGMENT = re.compile(r"[^/]*[0-9][^/]*|[^/]{20,}")


def path_for_log(path: str) -> str:
    """A request path fit for a log line: no query string, and no segment that may be an id
    or a token (link tokens and session ids travel in paths): `/billing/update/…`."""
    path = path.split("?", 1)[0][:200]
    return "/".join("…" if _OPAQUE_SEGMENT.fullmatch(part) else part for part in path.split("/"))


class UvicornAccessFilter(logging.Filter):
    """uvicorn's access lines, made safe: method, path without query or tokens, status.

    uvicorn logs `'%s - "%s %s HTTP/%s" %d'` with (client, method, path with query, version,
    status); the client address and the query string are dropped here."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            _client, method, full_path, _version, status = args
            record.msg, record.args = "http_request", ()
            record.fields = {"method": method, "path": path_for_log(str(full_path)), "status": status}
        return True


# Per-request chatter from libraries (every health probe, every Twilio API call with its
# URL and headers) drowns the events that matter.  spaCy (loaded lazily by the crisis
# screen) also adds its own plain-text handler on import: at WARNING its INFO chatter
# ("Created vocabulary") is not written at all.
_NOISY = ("httpx", "httpcore", "alembic", "sanic.access", "twilio.http_client", "spacy")


def configure(level: str = "INFO") -> None:
    """JSON lines on stderr for every logger, uvicorn's included (see `uvicorn_log_config`)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in _NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # uvicorn configured its loggers (plain text, own handlers) before it built the app:
    # send them through the JSON handler instead.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    access = logging.getLogger("uvicorn.access")
    if access.handlers:  # enabled with its own text handler (no handlers, no propagation: --no-access-log)
        access.handlers[:] = []
        access.propagate = True
    if not any(isinstance(existing, UvicornAccessFilter) for existing in access.filters):
        access.addFilter(UvicornAccessFilter())


def uvicorn_log_config(level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for uvicorn's `--log-config` (written to a .json file by
    assistant/stack.py): JSON lines from its first line on, before the app is even imported."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "filters": {"access": {"()": f"{__name__}.UvicornAccessFilter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.access": {"handlers": [], "level": level.upper(), "propagate": True, "filters": ["access"]},
            **{noisy: {"level": "WARNING"} for noisy in _NOISY},
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
    }


class EventLogger:
    """`log.info("slot_offered", count=3)`: an event name plus structured fields."""

    def __init__(self, name: str) -> None:
        self._logger = logging.getLogger(name)

    def _log(self, level: int, event: str, exc_info: bool = False, **fields: Any) -> None:
        if self._logger.isEnabledFor(level):
            self._logger.log(level, event, extra={"fields": fields}, exc_info=exc_info)

    def debug(self, event: str, **fields: Any) -> None:
        self._log(logging.DEBUG, event, **fields)

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
