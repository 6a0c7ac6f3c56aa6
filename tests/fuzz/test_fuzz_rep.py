"""Fuzz the rep JSON API (`/api/rep/`) signed in as the demo admin, so every admin
endpoint is reached, with the session's CSRF token on every state-changing request.

Each example gets a fresh session (an example may sign out) and, where the path names a
conversation, rep or canned response, a fresh real one (an example may claim, resolve or
delete it); a few keep the generated id instead.  A few state-changing examples leave the
CSRF token out and must then be refused."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from hypothesis import strategies as st
from schemathesis import Case

from assistant.services.reps import SESSION_COOKIE
from tests.fuzz.document import load_schema
from tests.fuzz.examples import Store
from tests.fuzz.harness import call_and_validate, fuzz_settings, rarely, use_real

pytestmark = pytest.mark.fuzz

schema = load_schema(path_regex="^/api/rep/")

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PUBLIC_PATHS = {"/api/rep/login"}


def real_path_ids(case: Case, store: Store, data: st.DataObject) -> None:
    makers = {"conversation_id": store.handed_off_conversation, "rep_id": store.rep, "item_id": store.canned_response}
    for name, make in makers.items():
        if name in (case.path_parameters or {}) and use_real(case, data, "path", name):
            case.path_parameters[name] = make()


@schema.parametrize()
@schema.given(data=st.data())
@fuzz_settings(max_examples=60)
def test_rep_api(case: Case, data: st.DataObject, fuzz_app: FastAPI, store: Store) -> None:
    store.reset_throttles(fuzz_app)
    token, csrf = store.admin_session()
    real_path_ids(case, store, data)
    unsafe = case.method.upper() not in SAFE_METHODS and case.operation.path not in PUBLIC_PATHS
    without_csrf = unsafe and rarely(data, "leave the CSRF token out")
    # Sent alongside the example, not written into it: the document does not declare them.
    headers = {"X-CSRF-Token": csrf} if unsafe and not without_csrf else {}
    response = call_and_validate(case, fuzz_app, headers=headers, cookies={SESSION_COOKIE: token})
    if without_csrf:
        assert not 200 <= response.status_code < 400, "a state-changing request without CSRF token was accepted"
