"""The hard limits with an explicit clock: consent and flags, quiet hours in the client's zone, caps."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.outreach.limits import Contact, Send, Skip, Wait, decide, next_allowed

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
OK = Contact(
    sms_consent=True,
    mobile="+15555550100",
    opted_out=False,
    do_not_contact=False,
    paused=False,
    discharged=False,
    timezone="America/New_York",
)


def ny(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=NY)


def test_sends_in_the_day_with_nothing_sent() -> None:
    assert decide(OK, sent_at=[], now=ny(3, 9)) == Send()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"sms_consent": False}, "no_sms_consent"),
        ({"opted_out": True}, "opted_out"),
        ({"do_not_contact": True}, "do_not_contact"),
        ({"paused": True}, "paused"),
        ({"discharged": True}, "discharged"),
        ({"mobile": None}, "no_mobile"),
    ],
)
def test_consent_and_flags_skip_with_their_reason(change: dict[str, object], reason: str) -> None:
    assert decide(dataclasses.replace(OK, **change), sent_at=[], now=ny(3, 9)) == Skip(reason)  # type: ignore[arg-type]


def test_quiet_hours_wait_for_eight_in_the_clients_zone_not_the_practices() -> None:
    west = dataclasses.replace(OK, timezone="America/Los_Angeles")
    # 10:00 in New York is 07:00 in Los Angeles: quiet for this client, until 08:00 there.
    decision = decide(west, sent_at=[], now=ny(3, 10))
    assert decision == Wait(dt.datetime(2026, 12, 3, 8, tzinfo=LA).astimezone(dt.UTC))
    assert decide(west, sent_at=[], now=ny(3, 11)) == Send()
    # 22:00 in Los Angeles is quiet until 08:00 the next day.
    assert next_allowed(dt.datetime(2026, 12, 3, 22, tzinfo=LA), LA) == dt.datetime(2026, 12, 4, 8, tzinfo=LA)
    assert decide(OK, sent_at=[], now=ny(3, 21)) == Wait(ny(4, 8))
    assert decide(OK, sent_at=[], now=ny(3, 20, 59)) == Send()


def test_quiet_hours_past_the_stale_moment_cancel_instead_of_waiting() -> None:
    assert decide(OK, sent_at=[], now=ny(3, 22), stale_at=ny(4, 7)) == Skip("stale")
    assert decide(OK, sent_at=[], now=ny(3, 9), stale_at=ny(3, 9)) == Skip("stale")


def test_one_text_per_local_calendar_day() -> None:
    assert decide(OK, sent_at=[ny(3, 8, 30)], now=ny(3, 20)) == Skip("daily_limit")
    assert decide(OK, sent_at=[ny(2, 20)], now=ny(3, 8)) == Send()  # yesterday evening does not count
    # The day is the client's: 23:30 in New York on the 2nd is 20:30 on the 2nd in Los Angeles.
    west = dataclasses.replace(OK, timezone="America/Los_Angeles")
    assert decide(west, sent_at=[ny(3, 1)], now=ny(3, 12)) == Send()  # 22:00 on the 2nd out west


def test_three_texts_per_rolling_week() -> None:
    three = [ny(1, 9), ny(3, 9), ny(5, 9)]
    assert decide(OK, sent_at=three, now=ny(7, 9)) == Skip("weekly_limit")
    assert decide(OK, sent_at=three, now=ny(8, 9, 1)) == Send()  # the 1st's text is out of the window
    assert decide(OK, sent_at=three[1:], now=ny(7, 9)) == Send()


def test_do_not_contact_wins_over_everything() -> None:
    blocked = dataclasses.replace(OK, do_not_contact=True, paused=True)
    assert decide(blocked, sent_at=[], now=ny(3, 22)) == Skip("do_not_contact")
