"""Fuzz the pages behind the links the bot texts (`/portal/sign-in/{token}`,
`/billing/update/{token}`): public, reached by anyone who has (or guesses) a link.

Most examples use a real, unused link made for the demo client Jordan, so the card form's
fields reach the card check; the rest keep the generated token, which must be refused."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from hypothesis import strategies as st
from schemathesis import Case

from tests.fuzz.document import load_schema
from tests.fuzz.examples import Store
from tests.fuzz.harness import call_and_validate, fuzz_settings, use_real

pytestmark = pytest.mark.fuzz

schema = load_schema(path_regex="^/(portal|billing)/")


@schema.parametrize()
@schema.given(data=st.data())
@fuzz_settings(max_examples=40)
def test_link_pages(case: Case, data: st.DataObject, fuzz_app: FastAPI, store: Store) -> None:
    store.reset_throttles(fuzz_app)
    if use_real(case, data, "path", "token"):
        purpose = "portal" if case.operation.path.startswith("/portal/") else "billing"
        case.path_parameters["token"] = store.link(purpose)
    call_and_validate(case, fuzz_app)
