"""Fuzz the Twilio webhooks (SMS: `/twilio/sms`, `/twilio/status`; voice: `/twilio/voice...`)
past their signature check.

Most examples are signed exactly as Twilio signs them (`RequestValidator` over the public
URL and the form as the app will parse it), so the generated form reaches the SMS channel;
a few keep the generated (or no) signature and must be refused with 403 (or
413/415 when the size or media type is refused first), never accepted."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from fastapi import FastAPI
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode

from tests.fuzz.document import load_schema
from tests.fuzz.examples import Store
from tests.fuzz.harness import call_and_validate, fuzz_settings, rarely, twilio_signature

pytestmark = pytest.mark.fuzz

schema = load_schema(path_regex="^/twilio/")

REFUSED_UNSIGNED = {403, 413, 415}


def _prepared(case: Case) -> requests.PreparedRequest:
    """The exact request schemathesis sends (URL with its query string, and body)."""
    sent = case.as_transport_kwargs(base_url="http://localhost")
    return requests.Request(
        method=sent["method"],
        url=sent["url"],
        params=sent.get("params"),
        headers=sent.get("headers"),
        data=sent.get("data"),
        json=sent.get("json"),
    ).prepare()


def form_as_parsed(case: Case) -> dict[str, str]:
    """The form the app will see (last value wins per key), from the exact bytes schemathesis sends."""
    body = _prepared(case).body or b""
    text = body.decode("latin-1") if isinstance(body, bytes) else body
    return dict(parse_qsl(text, keep_blank_values=True))


def signed_path(case: Case) -> str:
    """The path and query string as sent: Twilio signs the whole URL (the voice webhooks
    carry their state in the query: ?turn=3, ?event=recorded)."""
    url = urlsplit(_prepared(case).url or "")
    return f"{url.path}?{url.query}" if url.query else url.path


@schema.parametrize()
@schema.given(data=st.data())
@fuzz_settings(max_examples=100)
def test_twilio_webhooks(case: Case, data: st.DataObject, fuzz_app: FastAPI, store: Store) -> None:
    store.reset_throttles(fuzz_app)
    unsigned = rarely(data, "keep the generated signature")
    if not unsigned:
        auth_token = fuzz_app.state.settings.twilio_auth_token
        signature = twilio_signature(auth_token, signed_path(case), form_as_parsed(case))
        case.headers = {**(case.headers or {}), "X-Twilio-Signature": signature}
    # Not strict: the form schema is our description of what Twilio sends, stricter than the
    # app needs to be (it may accept an unknown MessageStatus, say).
    response = call_and_validate(case, fuzz_app, strict=False)
    if unsigned:
        assert response.status_code in REFUSED_UNSIGNED, f"an unsigned webhook got {response.status_code}, not 403"
    elif case.meta is not None and case.meta.generation.mode is GenerationMode.POSITIVE:
        # A signed, valid form must get past the signature check, or the fuzz would test nothing.
        assert response.status_code != 403, "a correctly signed webhook was refused"
