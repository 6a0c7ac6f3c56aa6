"""The phone line's settings on the admin page: front-desk numbers (E.164, at most five, no
repeats), the voice (Twilio's, from an allow-list) and the greeting (at most 500 characters,
empty for the standard one).  Saved, read back and audited like every other setting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.store.engine import session_scope
from assistant.store.models import AuditEvent, Practice
from tests.support.console import Signed


def patch_settings(who: Signed, body: dict) -> tuple[int, dict]:
    response = who.http.patch("/api/rep/settings", json=body, headers={"X-CSRF-Token": who.csrf})
    return response.status_code, response.json()


def stored(database_url: str) -> tuple[list | None, str | None, str | None]:
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        return practice.front_desk_numbers, practice.voice_name, practice.voice_greeting


def test_the_phone_line_is_saved_read_back_and_audited(admin: Signed, database_url: str) -> None:
    change = {
        "front_desk_numbers": ["+15555550181", "+442071838750"],
        "voice_name": "Polly.Joanna-Neural",
        "voice_greeting": "  Thanks for calling Lakeside Counseling.\x00  ",
    }
    status, body = patch_settings(admin, change)
    assert status == 200, body
    expected = (["+15555550181", "+442071838750"], "Polly.Joanna-Neural", "Thanks for calling Lakeside Counseling.")
    assert (body["front_desk_numbers"], body["voice_name"], body["voice_greeting"]) == expected
    assert stored(database_url) == expected
    read = admin.get("/api/rep/settings").json()
    assert (read["front_desk_numbers"], read["voice_name"], read["voice_greeting"]) == expected
    with session_scope(database_url) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "practice_settings_updated").order_by(AuditEvent.id.desc())
        ).first()
    assert event is not None and event.actor == f"rep:{admin.rep['id']}"
    assert event.details == {"fields": ["front_desk_numbers", "voice_greeting", "voice_name"]}


@pytest.mark.parametrize(
    "voice", ["alice", "man", "woman", "Polly.Matthew", "Polly.Joanna-Neural", "Google.en-US-Neural2-F"]
)
def test_twilios_voices_are_accepted(admin: Signed, voice: str) -> None:
    status, body = patch_settings(admin, {"voice_name": voice})
    assert (status, body["voice_name"]) == (200, voice)


@pytest.mark.parametrize(
    "voice",
    ["Alice", "robot", "Polly.joanna", "Polly.Joanna-Turbo", "Polly.", "Google.english", "Polly.Joanna<Say>", "a" * 65],
)
def test_a_voice_twilio_does_not_have_is_422(admin: Signed, database_url: str, voice: str) -> None:
    before = stored(database_url)
    status, body = patch_settings(admin, {"voice_name": voice})
    assert status == 422 and body["detail"].startswith("voice_name: ")
    assert stored(database_url) == before


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        (["+1 555 555 0181"], "front_desk_numbers.0: must be a phone number in international format"),
        (["+15555550181", "15555550182"], "front_desk_numbers.1: must be a phone number in international format"),
        ([f"+1555555018{n}" for n in range(6)], "front_desk_numbers: List should have at most 5 items"),
        (["+15555550181", "+15555550181"], "front_desk_numbers: lists the same number twice"),
        ("+15555550181", "front_desk_numbers: Input should be a valid list"),
    ],
)
def test_front_desk_numbers_that_are_not_e164_or_too_many_are_422(
    admin: Signed, database_url: str, numbers: object, message: str
) -> None:
    before = stored(database_url)
    status, body = patch_settings(admin, {"front_desk_numbers": numbers})
    assert status == 422 and body["detail"].startswith(message), body
    assert stored(database_url) == before


def test_a_greeting_over_500_characters_is_422(admin: Signed, database_url: str) -> None:
    before = stored(database_url)
    status, body = patch_settings(admin, {"voice_greeting": "Hello. " * 72})
    assert status == 422 and body["detail"].startswith("voice_greeting: String should have at most 500 characters")
    assert stored(database_url) == before


@pytest.mark.parametrize("emptied", [{"front_desk_numbers": [], "voice_name": "", "voice_greeting": "   "}, None])
def test_emptied_phone_settings_go_back_to_the_defaults(admin: Signed, database_url: str, emptied: dict | None) -> None:
    assert (
        patch_settings(admin, {"front_desk_numbers": ["+15555550181"], "voice_name": "alice", "voice_greeting": "Hi"})[
            0
        ]
        == 200
    )
    cleared = emptied or {"front_desk_numbers": None, "voice_name": None, "voice_greeting": None}
    status, body = patch_settings(admin, cleared)
    assert status == 200 and (body["front_desk_numbers"], body["voice_name"], body["voice_greeting"]) == (
        [],
        None,
        None,
    )
    assert stored(database_url) == ([], None, None)


def test_a_rep_cannot_change_the_phone_line(rep: Signed, database_url: str) -> None:
    before = stored(database_url)
    assert patch_settings(rep, {"voice_name": "Polly.Kevin"})[0] == 403
    assert stored(database_url) == before
