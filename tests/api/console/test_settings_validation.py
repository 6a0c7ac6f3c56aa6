"""Practice settings: phone numbers are E.164 checked with phonenumbers, timezones are zones
zoneinfo knows, and each rule lives in one place (the request model for shape and type,
the admin service for what needs the practice)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.api.schemas.rep_requests import SettingsPatch
from tests.support.console import Signed

E164_ERROR = "oncall_e164: must be a phone number in international format, e.g. +15555550199"
ZONE_ERROR = "timezone: unknown timezone; use an IANA name such as America/New_York"


def patch_settings(admin: Signed, body: dict) -> tuple[int, dict]:
    response = admin.http.patch("/api/rep/settings", json=body, headers={"X-CSRF-Token": admin.csrf})
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "number",
    [
        "+1 555 555 0199",  # spaces: phonenumbers would read it, but it is not what we store and dial
        "+1-555-555-0199",
        "15555550199",  # no "+"
        "+1555",  # too short for the North American plan
        "+155555501991234",  # too long for it
        "+999123456789",  # no such country code
        "+0123456789",
    ],
)
def test_an_on_call_number_that_is_not_e164_is_422_with_a_clear_message(admin: Signed, number: str) -> None:
    before = admin.get("/api/rep/settings").json()["oncall_e164"]
    assert patch_settings(admin, {"oncall_e164": number}) == (422, {"detail": E164_ERROR})
    assert admin.get("/api/rep/settings").json()["oncall_e164"] == before  # nothing was saved


@pytest.mark.parametrize("number", ["+15555550199", "+442071838750", "+61291234567"])
def test_e164_numbers_of_any_country_are_saved_as_sent(admin: Signed, number: str) -> None:
    status, body = patch_settings(admin, {"oncall_e164": number})
    assert (status, body["oncall_e164"]) == (200, number)
    assert admin.get("/api/rep/settings").json()["oncall_e164"] == number


@pytest.mark.parametrize("cleared", [None, ""])
def test_an_emptied_on_call_field_clears_the_number(admin: Signed, cleared: str | None) -> None:
    assert patch_settings(admin, {"oncall_e164": "+15555550199"})[0] == 200
    status, body = patch_settings(admin, {"oncall_e164": cleared})
    assert (status, body["oncall_e164"]) == (200, None)


@pytest.mark.parametrize("zone", ["Mars/Olympus", "America", "Europe/Londn", "EST5EDT/x"])
def test_a_timezone_zoneinfo_does_not_know_is_422_with_a_clear_message(admin: Signed, zone: str) -> None:
    assert patch_settings(admin, {"timezone": zone}) == (422, {"detail": ZONE_ERROR})
    assert admin.get("/api/rep/settings").json()["timezone"] == "America/New_York"


@pytest.mark.parametrize("zone", ["Europe/London", "Etc/GMT+5", "America/Argentina/Buenos_Aires", "UTC"])
def test_known_timezones_are_saved(admin: Signed, zone: str) -> None:
    status, body = patch_settings(admin, {"timezone": zone})
    assert (status, body["timezone"]) == (200, zone)


def test_business_hours_are_checked_by_the_service_in_the_new_timezone(admin: Signed) -> None:
    status, body = patch_settings(admin, {"timezone": "Europe/London", "business_hours": {"mon": [["17:00", "09:00"]]}})
    assert (status, body) == (422, {"detail": "business hours: mon: 17:00-09:00 ends before it starts"})
    assert admin.get("/api/rep/settings").json()["timezone"] == "America/New_York"


# The request model owns shape and type: it refuses these before any service code runs.


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"timezone": None}, "timezone cannot be empty"),
        (
            {"business_hours": None, "late_cancel_fee_cents": None},
            "business_hours, late_cancel_fee_cents cannot be empty",
        ),
        ({"timezone": "Mars/Olympus"}, "unknown timezone"),
        ({"oncall_e164": "+1555"}, "international format"),
        ({"response_window_minutes": 4}, "greater than or equal to 5"),
    ],
)
def test_the_request_model_refuses_bad_shapes_and_types(body: dict, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        SettingsPatch.model_validate(body)
    assert message in str(refused.value)


def test_the_request_model_passes_on_only_what_was_sent() -> None:
    patch = SettingsPatch.model_validate({"oncall_e164": "", "timezone": "Europe/London"})
    assert patch.model_dump(exclude_unset=True) == {"oncall_e164": None, "timezone": "Europe/London"}
