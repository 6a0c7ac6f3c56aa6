"""Fuzz the public web chat API (`/api/chat/`): what anyone on the internet can send.

Most examples carry a real session (a fresh one each, so ending a chat or five wrong codes
in one example do not decide the next) and its bearer token; some keep the generated id or
Authorization header, which must then be refused, never crash.  The event stream gets a
valid stream token in most examples so that `after` and `Last-Event-ID` are reached."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import strategies as st
from schemathesis import Case

from tests.fuzz.document import load_schema
from tests.fuzz.examples import Store
from tests.fuzz.harness import call_and_validate, fuzz_settings, use_real

pytestmark = pytest.mark.fuzz

schema = load_schema(path_regex="^/api/chat/")


def stream_token(app: FastAPI, session_id: str, token: str) -> str:
    # No `with`: this one request needs no lifespan (schemathesis runs it around the calls).
    response = TestClient(app).post(
        f"/api/chat/sessions/{session_id}/stream-token", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    return response.json()["stream_token"]


@schema.parametrize()
@schema.given(data=st.data())
@fuzz_settings(max_examples=80)
def test_public_chat_api(case: Case, data: st.DataObject, fuzz_app: FastAPI, store: Store) -> None:
    store.reset_throttles(fuzz_app)
    if "session_id" in (case.path_parameters or {}):
        session_id, token = store.chat_session()
        if use_real(case, data, "path", "session id"):
            case.path_parameters["session_id"] = session_id
        if case.operation.path.endswith("/events"):
            if use_real(case, data, "query", "stream token"):
                case.query = {**(case.query or {}), "stream_token": stream_token(fuzz_app, session_id, token)}
        elif use_real(case, data, "header", "Authorization header"):
            case.headers = {**(case.headers or {}), "authorization": f"Bearer {token}"}
    call_and_validate(case, fuzz_app)
