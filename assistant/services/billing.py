"""Saving a new card from the card-update page: only brand, last 4 and expiry are kept.

The number is read only to derive those (card_details.read_card) and is never logged or
stored.  Bad details leave the link usable, so the client can correct them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.services import audit
from assistant.services.card_details import CardDetails, read_card
from assistant.services.links import find_valid_link, redeem_link
from assistant.store.models import BillingProfile, LinkPurpose, utcnow


def save_card(
    session: Session,
    token: str,
    number: str,
    expiry: str,
    *,
    request_id: str | None = None,
    now: dt.datetime | None = None,
) -> CardDetails:
    """Put the card on file for the link's client and use the link up.

    Raises LinkInvalid (unknown, expired, used, or another submission won) or
    CardRejected (the details don't read as a card; the link stays usable)."""
    now = now or utcnow()
    find_valid_link(session, token, LinkPurpose.BILLING_UPDATE, now)
    card = read_card(number, expiry, now.date())
    link = redeem_link(session, token, LinkPurpose.BILLING_UPDATE, now)
    profile = session.scalars(select(BillingProfile).where(BillingProfile.client_id == link.client_id)).one_or_none()
    if profile is None:
        profile = BillingProfile(client_id=link.client_id)
        session.add(profile)
    profile.card_brand, profile.card_last4 = card.brand, card.last4
    profile.exp_month, profile.exp_year = card.exp_month, card.exp_year
    profile.updated_at = now
    audit.record(
        session,
        actor=f"client:{link.client_id}",
        action="card_updated",
        subject_type="client",
        subject_id=str(link.client_id),
        request_id=request_id,
        at=now,
    )
    return card
