"""The fuzz harness: how the app is configured, how each generated request is sent to it
(in-process, ASGI: no server, no network) and what every answer must satisfy: a non-5xx
whose status code, media type and body the document (tests/fuzz/document.py) describes.

Runs are deterministic (`derandomize=True`, a fixed number of examples per operation, no
example database), so the same code fails or passes the same way every time.
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from twilio.request_validator import RequestValidator

from assistant.config import Settings

PUBLIC_BASE_URL = "https://frontdesk.fuzz.example"  # what the Twilio webhooks are signed for
# Nothing listens here: the bot is down, so every turn takes the gateway's own fail-safe path.
NOWHERE = "http://127.0.0.1:9"

# Everything a fuzz test asserts about an answer; and, where the document is the app's own
# validation (not our description of someone else's requests), that what it calls invalid
# is refused with a 4xx.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
STRICT_CHECKS = [*CHECKS, negative_data_rejection]


# Local deep runs: FUZZ_EXAMPLES=<n> multiplies the examples per operation; FUZZ_SURVEY=<file>
# records every failing example there (JSON lines) instead of stopping at the first one.
EXAMPLES_FACTOR = float(os.environ.get("FUZZ_EXAMPLES", "1"))
SURVEY_FILE = os.environ.get("FUZZ_SURVEY", "")


def fuzz_settings(max_examples: int) -> hypothesis.settings:
    """Bounded and repeatable: the same examples, in the same order, on every run."""
    return hypothesis.settings(
        max_examples=max(1, round(max_examples * EXAMPLES_FACTOR)),
        derandomize=True,
        database=None,
        deadline=None,  # requests hit SQLite and argon2: timing is not what we test
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
        print_blob=False,
    )


def rarely(data: st.DataObject, label: str) -> bool:
    """True for a small share of examples (about one in twenty): those that keep a generated
    credential or id instead of a real one.  Not `== 0`: Hypothesis draws the ends of a range
    far more often than the middle, and shrinks towards 0, which then means "the real one"."""
    return data.draw(st.integers(0, 7), label=label) == 5


def generated_invalid(case: schemathesis.Case, location: str) -> bool:
    """Whether the example's `location` ("path", "query", "header") was generated invalid on
    purpose.  A real id or token must not replace it then: the example would no longer be the
    invalid request the checks expect to be refused."""
    component = case.meta.components.get(ParameterLocation(location)) if case.meta else None
    return component is not None and component.mode is GenerationMode.NEGATIVE


def use_real(case: schemathesis.Case, data: st.DataObject, location: str, what: str) -> bool:
    """Whether this example gets a real `what` (session, token, id) in place of the generated
    one: yes, unless the generated one is meant to be invalid, or `rarely`."""
    return not generated_invalid(case, location) and not rarely(data, f"keep the generated {what}")


def twilio_signature(auth_token: str, path: str, form: dict[str, str]) -> str:
    """X-Twilio-Signature as Twilio computes it: over the public URL and the form fields."""
    return RequestValidator(auth_token).compute_signature(f"{PUBLIC_BASE_URL}{path}", form)


def app_settings(database_url: str, **overrides: Any) -> Settings:
    """The gateway as the fuzz runs it: test mode, bot down, no Redis (the fuzz owns its data),
    and the per-number SMS limit out of the way so throttling does not hide everything else."""
    values: dict[str, Any] = {
        "assistant_env": "test",
        "database_url": database_url,
        "rasa_url": NOWHERE,
        "bot_outage_hold_seconds": 0,
        "action_server_url": NOWHERE,
        "rasa_timeout_seconds": 1,
        "public_base_url": PUBLIC_BASE_URL,
        "redis_url": "",
        "sms_rate_limit_per_minute": 100_000,
        "sms_workers": 2,
    }
    values.update(overrides)
    return Settings(**values)


# --- calling the app ---------------------------------------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class _ServerErrors(logging.Handler):
    """The exceptions behind 500s, from the app's own `unhandled_error` log line."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.seen: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.seen.append(record.exc_info[1])


def describe_server_error(error: BaseException) -> str:
    """'server error: AttributeError at assistant/services/admin.py:131 in update_settings'."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.startswith(str(PROJECT_ROOT / "assistant"))
    ]
    where = (
        (f" at {Path(frames[-1].filename).relative_to(PROJECT_ROOT)}:{frames[-1].lineno} in {frames[-1].name}")
        if frames
        else ""
    )
    message = (str(error).splitlines() or [""])[0][:200]  # SQL errors go on for lines
    return f"server error: {type(error).__name__}{where}: {message}"


@contextmanager
def _server_errors() -> Iterator[_ServerErrors]:
    handler = _ServerErrors()
    logger = logging.getLogger("api.errors")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def call_and_validate(
    case: schemathesis.Case, app: Any, *, strict: bool = True, **kwargs: Any
) -> schemathesis.Response:
    """Send the example to the app in-process and run every check on the answer
    (`strict`: also that a request the document calls invalid is refused).

    A 500's failure says which exception (type, and where in `assistant/`) caused it, and
    carries that exception as its context: Hypothesis tells failures apart by where they
    come from, so two different crashes found while fuzzing one operation are two failures."""
    response: schemathesis.Response | None = None
    with _server_errors() as errors:
        try:
            # Raises when the app fails after it began to answer (an event stream cut off).
            response = case.call(app=app, **kwargs)
            checks = STRICT_CHECKS if strict else CHECKS
            case.validate_response(response, checks=checks, transport_kwargs={"app": app, **kwargs})
        except (Exception, FailureGroup) as failure:  # FailureGroup is a BaseExceptionGroup
            for error in errors.seen:
                failure.add_note(describe_server_error(error))
            if errors.seen:
                failure.__context__ = failure.__cause__ = errors.seen[-1]
            if not SURVEY_FILE:
                raise
            _record(case, failure, errors.seen)
    if response is None:
        hypothesis.reject()  # survey mode, no answer to look at: on to the next example
    return response


def _record(case: schemathesis.Case, failure: BaseException, errors: list[BaseException]) -> None:
    with open(SURVEY_FILE, "a", encoding="utf-8") as survey:
        survey.write(
            json.dumps(
                {
                    "operation": case.operation.label,
                    "failure": str(failure).splitlines()[0][:300],
                    "failures": [str(part).splitlines()[0][:300] for part in getattr(failure, "exceptions", [])],
                    "server_errors": [describe_server_error(error) for error in errors],
                    "reproduce": case.as_curl_command(),
                }
            )
            + "\n"
        )
