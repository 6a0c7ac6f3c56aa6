"""Cancellation policy quotes and the wording clients see."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.scheduling.policy import format_money, quote_change

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 25, 15, tzinfo=UTC)


def quote_in(hours: float, window: int = 24, fee: int = 7500):  # noqa: ANN201
    return quote_change(NOW + dt.timedelta(hours=hours), NOW, window, fee)


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (7500, "$75.00"),
        (0, "$0.00"),
        (5, "$0.05"),
        (99, "$0.99"),
        (12345, "$123.45"),
        (123456789, "$1,234,567.89"),
        (-2500, "-$25.00"),
    ],
)
def test_format_money(cents: int, text: str) -> None:
    assert format_money(cents) == text


def test_outside_the_window_costs_nothing() -> None:
    quote = quote_in(48)
    assert not quote.inside_window
    assert quote.hours_notice == 48
    assert quote.fee_cents == 0
    assert quote.policy_fee_cents == 7500


def test_inside_the_window_quotes_the_fee() -> None:
    quote = quote_in(5.5)
    assert quote.inside_window
    assert quote.hours_notice == pytest.approx(5.5)
    assert quote.fee_cents == 7500


def test_exactly_the_window_is_enough_notice() -> None:
    assert not quote_in(24).inside_window
    assert quote_in(23.99).inside_window


def test_a_session_already_started_is_inside_the_window() -> None:
    quote = quote_in(-1)
    assert quote.inside_window
    assert quote.hours_notice == pytest.approx(-1)


def test_zero_fee_practice() -> None:
    quote = quote_in(2, fee=0)
    assert quote.inside_window
    assert quote.fee_cents == 0
    assert quote.describe("cancel") == (
        "Our policy asks for 24 hours' notice; this session is in less than 24 hours, but there is no late fee."
    )


def test_hours_notice_ignores_timezones_of_the_inputs() -> None:
    starts_local = (NOW + dt.timedelta(hours=30)).astimezone(ZoneInfo("America/New_York"))
    assert quote_change(starts_local, NOW, 24, 7500).hours_notice == pytest.approx(30)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        quote_change(dt.datetime(2026, 11, 27, 15), NOW, 24, 7500)
    with pytest.raises(ValueError, match="timezone-aware"):
        quote_change(NOW, dt.datetime(2026, 11, 25), 24, 7500)


def test_describe_late_cancel() -> None:
    assert quote_in(20).describe("cancel") == (
        "Our policy asks for 24 hours' notice; because this session is in less than 24 hours, "
        "a $75.00 late-cancellation fee applies."
    )


def test_describe_defaults_to_cancel() -> None:
    assert quote_in(20).describe() == quote_in(20).describe("cancel")


def test_describe_late_reschedule_mentions_the_fee_without_charging_it() -> None:
    text = quote_in(20).describe("reschedule")
    assert text == (
        "Our policy asks for 24 hours' notice; because this session is in less than 24 hours, "
        "changes this close to the session may be subject to the $75.00 late-cancellation fee."
    )
    assert "applies" not in text


@pytest.mark.parametrize(("action", "verb"), [("cancel", "cancel"), ("reschedule", "reschedule")])
def test_describe_outside_the_window(action: str, verb: str) -> None:
    assert quote_in(72).describe(action) == (  # type: ignore[arg-type]
        "Our policy asks for 24 hours' notice; this session is more than 24 hours away, "
        f"so you can {verb} at no charge."
    )


def test_describe_uses_the_practice_window_and_fee() -> None:
    text = quote_in(30, window=48, fee=10000).describe("cancel")
    assert text == (
        "Our policy asks for 48 hours' notice; because this session is in less "
        "than 48 hours, a $100.00 late-cancellation fee applies."
    )


def test_describe_singular_hour() -> None:
    assert (
        quote_in(0.5, window=1)
        .describe("cancel")
        .startswith("Our policy asks for 1 hour's notice; because this session is in less than 1 hour,")
    )
