"""The OpenAPI document describes what every route answers on success.

JSON routes name a response model (a `$ref` to a `*Public` schema: no bare `{}` or "any object"),
pages say `text/html`, event streams `text/event-stream`, other documents their media type
with a schema, 204s and redirects no body.  A route added without one fails here, named.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.api.main import create_app
from tests.fuzz.harness import app_settings

NO_BODY_STATUSES = {"204", "301", "302", "303", "307", "308"}
PAGE_PREFIXES = ("/portal/", "/billing/")
PAGE_OPERATIONS = {
    ("GET", "/console"),
    ("GET", "/console/admin"),
    ("GET", "/console/sign-in"),
    ("POST", "/console/sign-in"),
}


def _document() -> dict[str, Any]:
    return create_app(app_settings("sqlite:///unused-by-openapi.db")).openapi()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def _expected_media_type(method: str, path: str) -> str | None:
    if path.endswith("/events"):
        return "text/event-stream"
    if path.startswith(PAGE_PREFIXES) or (method, path) in PAGE_OPERATIONS:
        return "text/html"
    return None


def success_problems(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    """What is missing from one operation's success answer ([] when nothing is)."""
    responses = operation.get("responses", {})
    successes = {status: response for status, response in responses.items() if status[:1] in "23"}
    if not successes:
        return ["no success response documented"]
    problems = []
    for status, response in successes.items():
        content = response.get("content") or {}
        if status in NO_BODY_STATUSES:
            if content:
                problems.append(f"{status} documents a body: {sorted(content)}")
            continue
        if not content:
            problems.append(f"{status} documents no content")
            continue
        expected = _expected_media_type(method, path)
        if expected is not None and list(content) != [expected]:
            problems.append(f"{status} should be {expected}, documents {sorted(content)}")
        for media_type, body in content.items():
            schema = body.get("schema")
            if not schema:
                problems.append(f"{status} {media_type} has no schema")
            elif media_type == "application/json" and "$ref" not in schema:
                problems.append(f"{status} application/json is not a named response model: {schema}")
            elif media_type == "application/json" and not schema["$ref"].endswith("Public"):
                # What leaves the gateway is a model made for it, never a row or an input shape.
                problems.append(f"{status} application/json is {schema['$ref']}, not a *Public model")
    return problems


def test_every_operation_documents_its_success_response() -> None:
    document = _document()
    missing = {
        f"{method} {path}": problems
        for method, path, operation in _operations(document)
        if (problems := success_problems(method, path, operation))
    }
    assert not missing, "operations without a documented success response:\n" + "\n".join(
        f"  {name}: {'; '.join(problems)}" for name, problems in sorted(missing.items())
    )


def test_the_walk_covers_every_surface() -> None:
    paths = {path for _, path, _ in _operations(_document())}
    for prefix in ("/api/rep/", "/api/chat/", "/console", "/portal/", "/billing/", "/twilio/", "/healthz"):
        assert any(path.startswith(prefix) for path in paths), prefix


@pytest.mark.parametrize(
    ("method", "path", "operation", "complaint"),
    [
        ("GET", "/api/x", {"responses": {"200": {"content": {"application/json": {"schema": {}}}}}}, "has no schema"),
        (
            "GET",
            "/api/x",
            {
                "responses": {
                    "200": {
                        "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}}
                    }
                }
            },
            "not a named response model",
        ),
        ("GET", "/api/x", {"responses": {"422": {}}}, "no success response"),
        (
            "GET",
            "/api/x",
            {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}}},
            "not a *Public model",
        ),
        (
            "GET",
            "/api/x/events",
            {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}}}},
            "should be text/event-stream",
        ),
        (
            "GET",
            "/portal/x",
            {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}}}},
            "should be text/html",
        ),
        (
            "DELETE",
            "/api/x",
            {"responses": {"204": {"content": {"application/json": {"schema": {}}}}}},
            "documents a body",
        ),
        ("GET", "/api/x.csv", {"responses": {"200": {"content": {"text/csv": {}}}}}, "has no schema"),
    ],
)
def test_the_walk_names_what_is_missing(method: str, path: str, operation: dict[str, Any], complaint: str) -> None:
    assert any(complaint in problem for problem in success_problems(method, path, operation))
