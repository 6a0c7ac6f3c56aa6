"""Single-use, expiring links for portal sign-in and card updates.

A link is only used up by the POST from its page, never by opening it (see
api/routes/links.py).  Only a hash of each token is stored, so a database leak
discloses no usable link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.services import audit
from assistant.store.models import AccessLink, Client, LinkPurpose, Practice, utcnow

_PATHS = {LinkPurpose.PORTAL_SIGN_IN: "/portal/sign-in", LinkPurpose.BILLING_UPDATE: "/billing/update"}


class LinkInvalid(Exception):
    """The link is unknown, expired or already used."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(
    session: Session,
    *,
    client: Client,
    practice: Practice,
    purpose: LinkPurpose,
    public_base_url: str,
    ttl_minutes: int,
    now: dt.datetime | None = None,
) -> str:
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        AccessLink(
            client_id=client.id,
            purpose=purpose,
            token_hash=hash_token(token),
            expires_at=now + dt.timedelta(minutes=ttl_minutes),
            created_at=now,
        )
    )
    session.flush()
    external = practice.billing_update_url if purpose is LinkPurpose.BILLING_UPDATE else None
    if external:  # the practice's own payment provider page
        separator = "&" if "?" in external else "?"
        return f"{external}{separator}{urlencode({'token': token})}"
    return f"{public_base_url}{_PATHS[purpose]}/{token}"


def find_valid_link(session: Session, token: str, purpose: LinkPurpose, now: dt.datetime | None = None) -> AccessLink:
    now = now or utcnow()
    link = session.scalars(select(AccessLink).where(AccessLink.token_hash == hash_token(token))).first()
    if link is None or link.purpose is not purpose or link.used_at is not None or link.expires_at <= now:
        raise LinkInvalid()
    return link


def redeem_link(session: Session, token: str, purpose: LinkPurpose, now: dt.datetime | None = None) -> AccessLink:
    """Use the link up. Settled by the database (a conditional UPDATE: the row comes back
    only if it was still unused), so of two requests redeeming one link at once exactly one
    succeeds."""
    now = now or utcnow()
    link = find_valid_link(session, token, purpose, now)
    won = session.execute(
        update(AccessLink)
        .where(AccessLink.id == link.id, AccessLink.used_at.is_(None))
        .values(used_at=now)
        .returning(AccessLink.id)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if won is None:
        raise LinkInvalid()
    session.refresh(link)
    return link


def sign_in_with_link(session: Session, token: str, *, request_id: str | None = None) -> AccessLink:
    """The portal page's "Continue": use the sign-in link up, audited."""
    link = redeem_link(session, token, LinkPurpose.PORTAL_SIGN_IN)
    audit.record(
        session,
        actor=f"client:{link.client_id}",
        action="portal_link_used",
        subject_type="client",
        subject_id=str(link.client_id),
        request_id=request_id,
    )
    return link
