"""The pages behind one-time links: opening one (GET, HEAD: what a link preview or a mail
scanner does) never uses it up; only the POST from the page does.  And the card form
refuses what is not a card (fullwidth digits, 01/9999, month 13) with a 422, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.services.card_details import CardRejected, parse_expiry, read_card
from assistant.services.links import hash_token, issue_link
from assistant.store.engine import session_scope
from assistant.store.models import (
    AccessLink,
    AuditEvent,
    BillingProfile,
    Client,
    LinkPurpose,
    Practice,
)

BASE = "https://frontdesk.lakeside.example"


def _issue(database_url: str, purpose: LinkPurpose) -> tuple[str, str]:
    """(path, token) of a fresh link for Jordan."""
    with session_scope(database_url) as session:
        practice = session.scalars(select(Practice).where(Practice.slug == "lakeside")).one()
        client = session.scalars(select(Client).where(Client.first_name == "Jordan")).one()
        url = issue_link(
            session, client=client, practice=practice, purpose=purpose, public_base_url=BASE, ttl_minutes=30
        )
    path = url.removeprefix(BASE)
    return path, path.rsplit("/", 1)[1]


def _used(database_url: str, token: str) -> bool:
    with session_scope(database_url) as session:
        link = session.scalars(select(AccessLink).where(AccessLink.token_hash == hash_token(token))).one()
        return link.used_at is not None


def _card(database_url: str) -> BillingProfile:
    with session_scope(database_url) as session:
        client = session.scalars(select(Client).where(Client.first_name == "Jordan")).one()
        return session.scalars(select(BillingProfile).where(BillingProfile.client_id == client.id)).one()


# --- portal sign-in ---------------------------------------------------------------------------


def test_opening_a_sign_in_link_shows_continue_and_uses_nothing(gateway: TestClient, database_url) -> None:
    path, token = _issue(database_url, LinkPurpose.PORTAL_SIGN_IN)
    for _ in range(3):  # an SMS app's preview, a mail scanner, then the client
        opened = gateway.get(path)
        assert opened.status_code == 200
        assert '<form method="post"><button type="submit">Continue</button></form>' in opened.text
        assert token not in opened.text  # the form posts to its own URL
        head = gateway.head(path)
        assert head.status_code == 200 and head.content == b""
    assert not _used(database_url, token)
    signed_in = gateway.post(path)
    assert signed_in.status_code == 200 and "You're signed in" in signed_in.text
    assert _used(database_url, token)
    assert gateway.post(path).status_code == 410
    assert gateway.get(path).status_code == 410 and gateway.head(path).status_code == 410
    with session_scope(database_url) as session:
        assert session.scalars(select(AuditEvent.action).where(AuditEvent.action == "portal_link_used")).all() == [
            "portal_link_used"
        ]


def test_link_pages_are_never_cached_and_send_no_referer(gateway: TestClient, database_url) -> None:
    portal, _ = _issue(database_url, LinkPurpose.PORTAL_SIGN_IN)
    card, _ = _issue(database_url, LinkPurpose.BILLING_UPDATE)
    for response in (
        gateway.get(portal),
        gateway.head(portal),
        gateway.get(card),
        gateway.head(card),
        gateway.get("/portal/sign-in/" + "x" * 43),
        gateway.post(portal),
    ):
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_an_unknown_or_expired_link_is_gone(gateway: TestClient, database_url) -> None:
    path, token = _issue(database_url, LinkPurpose.PORTAL_SIGN_IN)
    with session_scope(database_url) as session:
        link = session.scalars(select(AccessLink).where(AccessLink.token_hash == hash_token(token))).one()
        link.expires_at = link.created_at
    assert gateway.get(path).status_code == 410 and gateway.post(path).status_code == 410
    assert gateway.get("/portal/sign-in/<script>").status_code == 410
    card_path, _ = _issue(database_url, LinkPurpose.BILLING_UPDATE)
    assert gateway.post(card_path.replace("/billing/update/", "/portal/sign-in/")).status_code == 410


# --- the card page --------------------------------------------------------------------------


def test_opening_the_card_page_uses_nothing_and_saving_uses_it(gateway: TestClient, database_url) -> None:
    path, token = _issue(database_url, LinkPurpose.BILLING_UPDATE)
    for _ in range(2):
        assert gateway.get(path).status_code == 200 and gateway.head(path).status_code == 200
    assert not _used(database_url, token)
    saved = gateway.post(path, data={"number": "4111-1111-1111-1111", "expiry": "09 / 2030"})
    assert saved.status_code == 200 and "Visa ending in 1111" in saved.text
    card = _card(database_url)
    assert (card.card_brand, card.card_last4, card.exp_month, card.exp_year) == ("Visa", "1111", 9, 2030)
    assert _used(database_url, token)
    assert gateway.post(path, data={"number": "4111111111111111", "expiry": "09/30"}).status_code == 410


@pytest.mark.parametrize(
    ("number", "expiry"),
    [
        ("４２４２４２４２４２４２４２４２", "08/30"),  # fullwidth digits (valid Luhn if converted)
        ("4242 4242 4242 ４２４２", "08/30"),  # partly fullwidth
        ("٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢", "08/30"),  # Arabic-Indic digits
        ("4242\u30004242\u30004242\u30004242", "08/30"),  # an ideographic space is not a space here
        ("4242 4242 4242 4241", "08/30"),  # fails Luhn
        ("4242", "08/30"),  # too short
        ("4242424242424242424242", "08/30"),  # too long
        ("", "08/30"),
        ("4242 4242 4242 4242", "01/9999"),  # too far ahead
        ("4242 4242 4242 4242", "13/2030"),  # no month 13
        ("4242 4242 4242 4242", "00/30"),
        ("4242 4242 4242 4242", "01/20"),  # in the past
        ("4242 4242 4242 4242", "０８/３０"),  # fullwidth expiry
        ("4242 4242 4242 4242", "8-30"),
        ("4242 4242 4242 4242", ""),
    ],
)
def test_the_card_form_refuses_what_is_not_a_card(gateway: TestClient, database_url, number: str, expiry: str) -> None:
    path, token = _issue(database_url, LinkPurpose.BILLING_UPDATE)
    before = _card(database_url)
    refused = gateway.post(path, data={"number": number, "expiry": expiry})
    assert refused.status_code == 422
    assert 'role="alert">Please check the' in refused.text and '<form method="post"' in refused.text
    assert not _used(database_url, token)  # they can correct it and try again
    after = _card(database_url)
    assert (after.card_last4, after.exp_month, after.exp_year) == (before.card_last4, before.exp_month, before.exp_year)


@pytest.mark.parametrize(
    "body",
    [
        b"number=%FF%FE&expiry=08%2F30",  # not UTF-8
        b"number=" + b"4" * 100 + b"&expiry=08/30",  # over the field's length
        b"\x00\x01\x02",
        b"expiry=08/30",  # no number at all
    ],
)
def test_malformed_card_forms_get_a_4xx_never_a_500(gateway: TestClient, database_url, body: bytes) -> None:
    path, token = _issue(database_url, LinkPurpose.BILLING_UPDATE)
    response = gateway.post(path, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
    assert not _used(database_url, token)


def test_expiry_rules_on_a_fixed_day() -> None:
    today = dt.date(2026, 3, 2)
    assert parse_expiry("03/26", today) == (3, 2026)  # this month still works
    assert parse_expiry("3/2046", today) == (3, 2046)  # exactly 20 years ahead
    assert parse_expiry("04/2046", today) is None
    assert parse_expiry("02/26", today) is None
    assert parse_expiry(" 12 / 2030 ", today) == (12, 2030)
    assert parse_expiry("12/99", today) is None  # 2099


def test_read_card_keeps_only_brand_last_four_and_expiry() -> None:
    card = read_card("5555-5555-5555-4444", "11/29", dt.date(2026, 3, 2))
    assert (card.brand, card.last4, card.exp_month, card.exp_year) == ("Mastercard", "4444", 11, 2029)
    assert "5555555555554444" not in repr(card)
    with pytest.raises(CardRejected, match="card number"):
        read_card("４２４２４２４２４２４２４２４２", "11/29", dt.date(2026, 3, 2))
